package io.logpipe.launcher;

import io.logpipe.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code logpipe} command. Exit codes: 0 ok, 2 bad usage or bad config (the message names
 * the key and the file), 1 runtime failure.
 */
@Command(name = "logpipe",
        mixinStandardHelpOptions = true,
        versionProvider = Logpipe.Version.class,
        description = "A Kafka-buffered log pipeline into Grafana Loki.",
        subcommands = {
            io.logpipe.launcher.local.LocalCommand.class,
            KafkaCommand.class,
            CollectorCommand.class,
            ProcessorCommand.class,
            TailCommand.class,
            SinkCommand.class,
            ReplayCommand.class,
        })
public final class Logpipe implements Runnable {
    public static final int EXIT_RUNTIME_FAILURE = 1;
    public static final int EXIT_BAD_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (tests call this). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Logpipe());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
                commandLine.getErr().println("logpipe: " + e.getMessage());
                return EXIT_BAD_USAGE;
            }
            commandLine.getErr().println("logpipe: " + e);
            e.printStackTrace(commandLine.getErr());
            return EXIT_RUNTIME_FAILURE;
        });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Logpipe.class.getPackage().getImplementationVersion();
            return new String[] {"logpipe " + (version == null ? "(development build)" : version)};
        }
    }
}
