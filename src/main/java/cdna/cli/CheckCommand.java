package cdna.cli;

import cdna.check.DistributedTlc;
import cdna.check.Lanes;
import cdna.check.Manifest;
import cdna.check.ModelChecker;
import cdna.check.PropertyResult;
import cdna.check.TlcRunner;
import cdna.json.InputException;
import cdna.report.CheckReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** bin/cdna check: every model of the manifest through TLC, verdicts against the manifest. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Run the models of model-check/manifest.json through TLC and compare each property's verdict",
                "with the manifest. Writes reports/check.json and reports/traces/. Exit 0: all as expected;",
                "1: some verdict or state count differs; 2: bad input."})
public final class CheckCommand implements Callable<Integer> {
    @Option(names = "--filter", paramLabel = "REGEX",
            description = "Only models whose name, module or design matches (regex, case-insensitive).")
    String filter;

    @Option(names = "--profile", defaultValue = "standard", paramLabel = "P",
            description = "small (what mvn test runs), standard (small + standard bounds; default), deep (everything but doubled) or doubled (twice the standard bounds, for --distributed; docs/distributed.md).")
    String profile;

    @Option(names = "--manifest", defaultValue = "model-check/manifest.json", paramLabel = "FILE")
    Path manifest;

    @Mixin
    RunOptions run = new RunOptions();

    @Option(names = "--no-symmetry", description = "Drop SYMMETRY from every cfg (to measure what symmetry buys; state ranges are then not checked).")
    boolean noSymmetry;

    @Option(names = "--list", description = "List the selected models and exit.")
    boolean list;

    @Option(names = "--distributed", paramLabel = "N",
            description = {"Check invariants and deadlock on TLC's distributed mode: a server and N local workers, on 127.0.0.1",
                    "only unless --hosts is given. A verdict holds only from a clean, complete run; a violation is re-checked",
                    "by local TLC for the shortest trace; a lost worker, timeout or crash is an error. PROPERTY runs stay local;",
                    "one model at a time. See docs/distributed.md."})
    Integer distributed;

    @Option(names = "--hosts", split = ",", paramLabel = "HOST[,HOST...]",
            description = "With --distributed: machines that each start one worker (the command is printed); the server then listens on every interface.")
    List<String> hosts;

    @Override
    public Integer call() throws IOException {
        Path rootDir = run.rootDir();
        Path reports = run.reports;
        Set<String> profiles = switch (profile) {
            case "small" -> Set.of("small");
            case "standard" -> Set.of("small", "standard");
            case "deep" -> Set.of("small", "standard", "deep");
            case "doubled" -> Set.of("doubled");
            default -> null;
        };
        if (profiles == null) {
            System.err.println("cdna check: --profile must be small, standard, deep or doubled, found \"" + profile + "\"");
            return 2;
        }
        if (run.problem() != null) {
            System.err.println("cdna check: " + run.problem());
            return 2;
        }
        DistributedTlc.Plan plan = null;
        if (hosts != null && distributed == null) {
            System.err.println("cdna check: --hosts needs --distributed N (N local workers besides the hosts; 0 for none)");
            return 2;
        }
        if (distributed != null) {
            plan = new DistributedTlc.Plan(distributed, hosts == null ? List.of() : hosts);
            String why = plan.problem();
            if (why != null) {
                System.err.println("cdna check: --distributed " + distributed + (hosts == null ? "" : " --hosts " + String.join(",", hosts))
                        + ": " + why);
                return 2;
            }
        }
        Pattern pat;
        try {
            pat = filter == null ? null : Pattern.compile(filter, Pattern.CASE_INSENSITIVE);
        } catch (PatternSyntaxException e) {
            System.err.println("cdna check: --filter is not a valid regular expression: " + e.getDescription());
            return 2;
        }
        Manifest man;
        try {
            man = Manifest.read(rootDir.resolve(manifest));
        } catch (InputException e) {
            System.err.println("cdna check: " + e.getMessage());
            return 2;
        }
        List<Manifest.Entry> selected = new ArrayList<>();
        for (Manifest.Entry e : man.entries()) {
            Manifest.Model m = e.model();
            boolean inProfile = m == null || profiles.contains(m.profile());
            boolean match = pat == null || pat.matcher(e.name()).find()
                    || (m != null && (pat.matcher(m.module()).find() || pat.matcher(m.design()).find()));
            if (inProfile && match) selected.add(e);
        }
        if (selected.isEmpty()) {
            System.err.println("cdna check: no model of " + man.file() + " matches"
                    + (filter == null ? "" : " --filter " + filter) + " in profile " + profile);
            return 2;
        }
        if (list) {
            for (Manifest.Entry e : selected) {
                System.out.println(e.model() == null ? e.name() + "  (malformed: " + e.error() + ")"
                        : String.format(Locale.ROOT, "%-44s %-8s %-14s %s", e.name(), e.model().profile(),
                        e.model().module(), e.model().design()));
            }
            return 0;
        }
        ModelChecker.Settings settings = run.settings(rootDir.resolve(reports), rootDir.resolve("target/cdna-check"), !noSymmetry);
        ModelChecker checker = new ModelChecker(plan == null ? settings : settings.distributed(plan));
        Progress progress = run.progress();
        List<PropertyResult> rows = new ArrayList<>();
        long t0 = System.nanoTime();
        Thread hook = new Thread(() -> {
            // Ctrl-C: kill the running TLC; check.json already holds every model that finished
            TlcRunner.stopAll();
            System.err.println("cdna check: interrupted; " + rootDir.relativize(rootDir.resolve(reports).resolve("check.json"))
                    + " holds the models that finished");
        }, "cdna-check-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        List<Lanes.Job<List<PropertyResult>>> jobs = new ArrayList<>();
        for (Manifest.Entry e : selected) {
            if (e.model() == null) {
                System.err.println("cdna check: " + e.error());
                jobs.add(new Lanes.Job<>(e.name(), 0, () -> ModelChecker.malformed(e)));
            } else {
                jobs.add(new Lanes.Job<>(e.name(), e.model().seconds(), () -> checker.check(e.model(), progress)));
            }
        }
        Path checkJson = rootDir.resolve(reports).resolve("check.json");
        List<List<PropertyResult>> done = new ArrayList<>();
        List<List<PropertyResult>> all = Lanes.run(jobs, plan == null ? run.lanes : 1, r -> {
            synchronized (done) {
                if (TlcRunner.stopped()) return;
                for (PropertyResult p : r) progress.verdict(p);
                done.add(r);
                List<PropertyResult> sofar = new ArrayList<>();
                done.forEach(sofar::addAll);
                // written after every model, so an interrupted run keeps what it finished
                try {
                    CheckReport.writeJson(checkJson, sofar);
                } catch (IOException x) {
                    System.err.println("cdna check: cannot write " + checkJson + ": " + x.getMessage());
                }
            }
        });
        if (TlcRunner.stopped()) return 130;
        for (List<PropertyResult> r : all) rows.addAll(r);
        CheckReport.writeJson(checkJson, rows);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            return 130;
        }
        long bad = rows.stream().filter(r -> !r.asExpected()).count();
        String summary = String.format(Locale.ROOT, "%d properties of %d models in %.0f s: %s", rows.size(), selected.size(),
                (System.nanoTime() - t0) / 1e9, bad == 0 ? "all as expected" : bad + " not as expected");
        if (run.json) {
            progress.emit(Progress.event("check").put("properties", rows.size()).put("models", selected.size())
                    .put("notAsExpected", bad).put("report", rootDir.relativize(rootDir.resolve(reports).resolve("check.json")).toString()));
            return bad == 0 ? 0 : 1;
        }
        System.out.print(CheckReport.table(rows));
        System.out.println(summary);
        System.out.println("wrote " + rootDir.relativize(rootDir.resolve(reports).resolve("check.json")));
        return bad == 0 ? 0 : 1;
    }
}
