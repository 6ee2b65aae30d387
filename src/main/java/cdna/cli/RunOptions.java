package cdna.cli;

import cdna.check.ModelChecker;
import cdna.check.TlcRunner;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options of every command that runs TLC models (certify, check): where, how many at once, how loud. */
final class RunOptions {
    @Option(names = "--root", defaultValue = ".", paramLabel = "DIR", description = "Project root (default: current directory).")
    Path root;

    @Option(names = "--reports", defaultValue = "reports", paramLabel = "DIR", description = "Where reports go (default: reports).")
    Path reports;

    @Option(names = "--lanes", defaultValue = "2", paramLabel = "N",
            description = "Models checked at once, each by its own TLC (default 2, one per core of the reference machine).")
    int lanes;

    @Option(names = "--workers", paramLabel = "N",
            description = "TLC workers per run (default: 1 with several lanes, 2 with one lane).")
    Integer workers;

    @Option(names = "--heap", defaultValue = "5g", paramLabel = "SIZE", description = "TLC's -Xmx per run (default 5g).")
    String heap;

    @Option(names = "--budget-scale", defaultValue = "1.0", paramLabel = "X",
            description = "Multiply every model's time budget (e.g. 2 on a slower machine).")
    double budgetScale;

    @Option(names = "--quiet", description = "No progress; only the table and the last line.")
    boolean quiet;

    @Option(names = "--json", description = "Progress and results as JSON lines on stdout (one object per line).")
    boolean json;

    Path rootDir() { return root.toAbsolutePath().normalize(); }

    /** TLC workers per run: as given, else one per lane when lanes run side by side. */
    int workersPerRun() { return workers != null ? workers : lanes > 1 ? 1 : 2; }

    /** What is wrong with these options, or null. */
    String problem() {
        if (quiet && json) return "--quiet and --json exclude each other";
        if (lanes < 1 || lanes > 64) return "--lanes must be between 1 and 64, found " + lanes;
        if (workersPerRun() < 1 || workersPerRun() > 64) return "--workers must be between 1 and 64, found " + workersPerRun();
        if (!(budgetScale > 0)) return "--budget-scale must be positive, found " + budgetScale;
        return null;
    }

    /**
     * The {@code --only} regex of certify and explore, compiled (null when not
     * given).
     *
     * @throws IllegalArgumentException the message to print when it is not a regular expression
     */
    static java.util.regex.Pattern onlyPattern(String only) {
        if (only == null) return null;
        try {
            return java.util.regex.Pattern.compile(only);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException("--only: not a regular expression: " + e.getDescription() + " near index "
                    + e.getIndex() + " of \"" + only + "\"");
        }
    }

    Progress progress() {
        return new Progress(json ? Progress.Mode.JSON : quiet ? Progress.Mode.QUIET : Progress.Mode.HUMAN, System.out, System.err);
    }

    ModelChecker.Settings settings(Path reportsDir, Path work, boolean symmetry) {
        return new ModelChecker.Settings(rootDir(), reportsDir, work, workersPerRun(), TlcRunner.Launcher.tlc(heap), budgetScale,
                symmetry, cdna.conformance.TraceReplay::summary);
    }
}
