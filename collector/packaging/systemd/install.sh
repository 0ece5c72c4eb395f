#!/bin/sh
# Installs the logpipe collector as a systemd service on the compute node (pesubuntu).
# usage: sudo ./install.sh LOGPIPE_JAR KAFKA_CA_CRT KAFKA_PASSWORD_FILE
#   LOGPIPE_JAR          launcher/target/logpipe.jar (mvn -pl launcher -am package)
#   KAFKA_CA_CRT         Strimzi's cluster CA certificate, see strimzi/README.md
#   KAFKA_PASSWORD_FILE  file holding the password of KafkaUser logpipe-collector-pesubuntu
# Needs a Java 17+ runtime (apt install openjdk-17-jre-headless). Safe to run again to upgrade.
set -eu
[ "$(id -u)" -eq 0 ] || { echo "run as root (sudo)" >&2; exit 1; }
[ $# -eq 3 ] || { sed -n '3,7p' "$0" >&2; exit 2; }
jar=$1 ca=$2 password_file=$3
here=$(cd "$(dirname "$0")" && pwd)
command -v java >/dev/null || { echo "java not found: apt install openjdk-17-jre-headless" >&2; exit 1; }

# a system user that may read the journal (systemd-journal) and /var/log/syslog (adm)
id logpipe >/dev/null 2>&1 || useradd --system --no-create-home --home-dir /var/lib/logpipe --shell /usr/sbin/nologin logpipe
usermod -a -G systemd-journal,adm logpipe

install -d -m 0755 /opt/logpipe/bin /opt/logpipe/lib
install -m 0644 "$jar" /opt/logpipe/lib/logpipe.jar
install -m 0644 "$here/README.md" /opt/logpipe/README.md   # the unit's Documentation=
printf '#!/bin/sh\nexec java $JAVA_OPTS -jar /opt/logpipe/lib/logpipe.jar "$@"\n' > /opt/logpipe/bin/logpipe
chmod 0755 /opt/logpipe/bin/logpipe

install -d -m 0750 -o root -g logpipe /etc/logpipe
install -m 0640 -o root -g logpipe "$ca" /etc/logpipe/kafka-ca.crt
[ -e /etc/logpipe/collector.yaml ] || install -m 0640 -o root -g logpipe "$here/pesubuntu.yaml" /etc/logpipe/collector.yaml
# the secret lives only here, readable by root (systemd reads EnvironmentFile= as root)
umask 077
printf 'KAFKA_PASSWORD=%s\n' "$(cat "$password_file")" > /etc/logpipe/collector.env
chmod 0600 /etc/logpipe/collector.env

install -m 0644 "$here/logpipe-collector.service" /etc/systemd/system/logpipe-collector.service
systemctl daemon-reload
systemctl enable --now logpipe-collector.service
systemctl restart logpipe-collector.service
echo "installed; follow it with: journalctl -u logpipe-collector -f"
