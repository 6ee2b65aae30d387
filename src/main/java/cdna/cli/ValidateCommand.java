package cdna.cli;

import cdna.check.TlcRunner;
import cdna.conformance.LoggedRuns;
import cdna.conformance.StepLog;
import cdna.conformance.TraceValidation;
import cdna.design.Design;
import cdna.json.InputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;

/** bin/cdna validate: trace validation, code to spec, of a logged Java run. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Trace validation (code to spec): TLC checks that a logged run of the Java implementation is a behaviour",
                "of its spec, every step the action it names (model-check/Trace*.tla; docs/implementation.md).",
                "Either validate a log file (ndjson, as written by --log), or run the Java implementation with a seed",
                "on a model (--model), log it and validate the log.",
                "Exit 0: valid; 1: the spec cannot follow the log (the first entry it cannot reach is printed); 2: bad input or TLC error."})
public final class ValidateCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "LOG.ndjson", description = "A step log to validate.")
    Path logFile;

    @Option(names = "--model", paramLabel = "MODEL",
            description = "Log a seeded run on this model instead: a manifest model (ownership-small, cdna-small, iommu-small, migration-small, ...) or a cfg under model-check/.")
    String model;

    @Option(names = "--design", paramLabel = "DESIGN", description = "With --model: the design, a name or a file (default: the model's baseline).")
    String design;

    @Option(names = "--seed", defaultValue = "20261204", description = "With --model: the run's seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--steps", defaultValue = "150", description = "With --model: the run's length in logged steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--log", paramLabel = "FILE", description = "With --model: where to write the log (default: target/validate/run.ndjson).")
    Path out;

    @Option(names = "--root", defaultValue = ".", paramLabel = "DIR", description = "Project root (default: current directory).")
    Path root;

    @Option(names = "--heap", defaultValue = "1g", description = "TLC's heap (default: ${DEFAULT-VALUE}).")
    String heap;

    @Override
    public Integer call() {
        Path rootDir = root.toAbsolutePath().normalize();
        StepLog.Log log;
        Path file;
        try {
            if ((logFile == null) == (model == null)) {
                System.err.println("cdna validate: expected a LOG.ndjson or --model MODEL (one of them)");
                return 2;
            }
            if (model != null) {
                if (steps < 1) throw new InputException("--steps: expected a positive number, found " + steps);
                String cfg = ModelArgs.cfg(rootDir, model);
                Design d = ModelArgs.design(rootDir, design != null ? design : ModelArgs.defaultDesign(rootDir, cfg));
                log = LoggedRuns.seeded(rootDir, cfg, d, seed, steps, Set.of());
                file = out != null ? out : rootDir.resolve("target/validate/run.ndjson");
                StepLog.write(log, file);
                System.out.println("logged " + log.size() + " entries of " + cfg + " under " + d.name() + " (" + log.header().source()
                        + ") to " + file);
            } else {
                if (design != null || out != null) throw new InputException("--design and --log go with --model; a log file names its own design");
                file = logFile;
                log = StepLog.read(logFile);
            }
            Path work = rootDir.resolve("target/validate/work");
            TraceValidation.Result r = new TraceValidation(rootDir, new TlcRunner(TlcRunner.Launcher.tlc(heap))).validate(log, work);
            System.out.println("TLC: " + TlcRunner.shellLine(r.command()));
            if (r.error() != null) {
                System.err.println("cdna validate: " + file + ": " + r.summary());
                return 2;
            }
            System.out.println((r.valid() ? "VALID: " : "NOT A BEHAVIOUR: ") + file + ": " + r.summary());
            if (!r.valid() && r.divergesAt() >= 2) {
                System.out.println("  entry " + (r.divergesAt() - 1) + ": " + log.entries().get(r.divergesAt() - 2).action());
                StepLog.Entry bad = log.entries().get(r.divergesAt() - 1);
                System.out.println("  entry " + r.divergesAt() + ": " + bad.action() + "  (claims " + (bad.specAction() == null
                        ? "to be outside the spec" : bad.specAction() + (bad.params() == null ? "" : " " + bad.params())) + ")");
                StepLog.Entry before = log.entries().get(r.divergesAt() - 2);
                for (var v : bad.state().entrySet()) {
                    if (!v.getValue().equals(before.state().get(v.getKey()))) {
                        System.out.println("    " + v.getKey() + ": " + before.state().get(v.getKey()) + "  ->  " + v.getValue());
                    }
                }
            }
            return r.valid() ? 0 : 1;
        } catch (InputException e) {
            System.err.println("cdna validate: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            System.err.println("cdna validate: " + e.getMessage());
            return 2;
        }
    }
}
