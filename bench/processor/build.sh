# Sourced by run.sh and per_line.sh from the repository's root: builds the processor and the modules it
# depends on as they are in the tree, compiles the bench sources, and sets $out and $cp (the class path).
out=bench/processor/target
mkdir -p "$out"
mvn -B -q -o install -DskipTests -pl stream-processor -am
mvn -B -q -o dependency:build-classpath -pl stream-processor -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$out/classpath.txt"
cp="stream-processor/target/classes:$(cat "$out/classpath.txt")"
javac -d "$out" -cp "$cp" bench/processor/ProcessorBench.java bench/processor/io/logpipe/processor/*.java
