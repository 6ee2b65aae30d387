package cdna.check;

import cdna.design.Design;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides whether the "holds" of a run that explored everything stands: every
 * action of the spec fired (bar the ones the manifest lets stay dead for this
 * design), and every reachability witness of each property is reached.
 * Otherwise the verdict is "vacuous", never "holds"; a witness run that fails
 * makes it "error".
 *
 * <p>A witness W is looked for by a TLC run of the same model, design,
 * symmetry and view, whose only invariant is {@code ~W}: TLC must report it
 * violated, and the trace it prints is the shortest path to the dangerous
 * situation.  The negation lives in a module generated next to the run,
 * which EXTENDS the model's module.
 */
final class VacuityCheck {
    private final TlcRunner runner;
    private final ModelChecker.Settings s;

    VacuityCheck(TlcRunner runner, ModelChecker.Settings s) {
        // a witness is a few steps deep: its run is mostly JVM start-up, where the quick JIT tier alone is faster
        this.runner = runner.withJvmArgs("-XX:TieredStopAtLevel=1");
        this.s = s;
    }

    /** What the run explored and the context needed to look for witnesses. */
    /** distributed: a clean distributed run, which prints no coverage; its witnesses are judged, its actions not. */
    record Run(Manifest.Model model, Design design, Cfg cfg, Map<String, String> overrides, Coverage coverage,
               Path work, long deadlineNanos, ModelChecker.Listener listener, boolean distributed) {
        Run(Manifest.Model model, Design design, Cfg cfg, Map<String, String> overrides, Coverage coverage,
            Path work, long deadlineNanos, ModelChecker.Listener listener) {
            this(model, design, cfg, overrides, coverage, work, deadlineNanos, listener, false);
        }
    }

    /** The rows of a run that holds, each judged: "holds" only if the run was not vacuous for that property. */
    List<PropertyResult> judge(Run r, List<PropertyResult> holds) {
        Vacuity v = r.model().vacuity();
        if (v == null) return holds;
        List<PropertyResult> out = new ArrayList<>();
        if (r.coverage() == null && !r.distributed()) {
            for (PropertyResult p : holds) {
                out.add(p.judged("error", "TLC printed no action coverage for this run, so whether it exercised the model "
                        + "cannot be told", null, List.of(), List.of()));
            }
            return out;
        }
        Coverage cov = r.coverage() == null ? null : r.coverage().allowing(v.exemptions(r.design()));
        List<String> dead = cov == null ? List.of() : cov.dead();
        if (!dead.isEmpty()) {
            String msg = "vacuous: " + (dead.size() == 1 ? "action " + dead.get(0) + " never fired"
                    : "actions " + String.join(", ", dead) + " never fired") + " in " + cov.actions().size()
                    + " actions' coverage, so the model cannot do what its properties are about";
            for (PropertyResult p : holds) out.add(p.judged("vacuous", msg, cov, List.of(), List.of()));
            return out;
        }
        Map<String, WitnessResult> looked = new LinkedHashMap<>();
        for (PropertyResult p : holds) {
            if (p.property().equals(Manifest.DEADLOCK)) {
                out.add(p.judged(p.verdict(), p.message(), cov, List.of(), List.of()));
                continue;
            }
            List<Vacuity.Witness> ws = v.witnesses(p.property(), r.design());
            if (ws.isEmpty()) {
                out.add(p.judged("vacuous", "vacuous: no reachability witness of " + p.property() + " applies to design "
                        + r.design().name() + " (the manifest's \"vacuity\" section for " + r.model().module()
                        + " declares none), so nothing shows the model reaches what it guards against",
                        cov, List.of(), List.of()));
                continue;
            }
            List<WitnessResult> results = new ArrayList<>();
            List<String> cmds = new ArrayList<>();
            for (Vacuity.Witness w : ws) {
                WitnessResult wr = looked.get(w.name());
                if (wr == null) {
                    wr = look(r, w);
                    looked.put(w.name(), wr);
                    cmds.addAll(wr.commands());
                }
                results.add(wr);
            }
            String verdict = p.verdict();
            String msg = p.message();
            for (WitnessResult wr : results) {
                if (wr.status().equals("unreached")) {
                    verdict = "vacuous";
                    msg = "vacuous: witness " + wr.name() + " (" + wr.about() + ") is unreachable in this model";
                    break;
                }
            }
            if (verdict.equals(p.verdict())) {
                for (WitnessResult wr : results) {
                    if (!wr.reached()) {
                        verdict = "error";
                        msg = "witness " + wr.name() + ": " + wr.message();
                        break;
                    }
                }
            }
            out.add(p.judged(verdict, msg, cov, results, cmds));
        }
        return out;
    }

    /** Looks for one witness with a TLC run of its own. */
    private WitnessResult look(Run r, Vacuity.Witness w) {
        Manifest.Model m = r.model();
        String base = m.module().substring(0, m.module().length() - ".tla".length());
        String wrapper = base + "Witness" + w.name();
        String inv = "No" + w.name();
        Path dir = r.work().resolve("witness-" + w.name());
        double left = (r.deadlineNanos() - System.nanoTime()) / 1e9;
        if (left <= 0) {
            return new WitnessResult(w.name(), w.about(), "timeout", null, -1, 0, null,
                    "the model's time budget was used up before this witness was looked for", List.of());
        }
        try {
            Files.createDirectories(dir);
            Path module = dir.resolve(wrapper + ".tla");
            Files.writeString(module, "---- MODULE " + wrapper + " ----\n"
                    + "\\* Generated by cdna: the negation of witness " + w.name() + ", which TLC must report violated.\n"
                    + "EXTENDS " + base + "\n" + inv + " == ~" + w.name() + "\n====\n");
            Path cfg = dir.resolve(wrapper + ".cfg");
            Files.writeString(cfg, r.cfg().renderForWitness(r.overrides(), inv, "witness " + w.name() + " of model "
                    + m.name() + ", design " + r.design().name(), s.symmetry()));
            r.listener().message(m.name() + ": looking for witness " + w.name());
            List<Path> lib = new ArrayList<>(s.libraryPath());
            TlcRunner.Run run = runner.run(new TlcRunner.Request(module, cfg, lib, 1, Duration.ofMillis((long) (left * 1000)),
                    dir, List.of(), p -> r.listener().progress(m.name(), p)));
            String cmd = TlcRunner.shellLine(run.command());
            Files.writeString(dir.resolve("command.txt"), cmd + "\n");
            Outcome o = Outcome.of(run, lib);
            return switch (o.kind()) {
                case INVARIANT_VIOLATED -> inv.equals(o.violated())
                        ? new WitnessResult(w.name(), w.about(), "reached", o.trace().size(), o.distinct(), run.seconds(),
                                saveTrace(m, w, o), null, List.of(cmd))
                        : new WitnessResult(w.name(), w.about(), "error", null, o.distinct(), run.seconds(), null,
                                "TLC reported " + o.violated() + " violated instead", List.of(cmd));
                case NO_ERROR -> new WitnessResult(w.name(), w.about(), "unreached", null, o.distinct(), run.seconds(), null,
                        "TLC explored all " + o.distinct() + " distinct states and none satisfies " + w.name(), List.of(cmd));
                case TIMEOUT -> new WitnessResult(w.name(), w.about(), "timeout", null, o.distinct(), run.seconds(), null,
                        o.message(), List.of(cmd));
                default -> new WitnessResult(w.name(), w.about(), "error", null, o.distinct(), run.seconds(), null,
                        o.kind() + ": " + o.message(), List.of(cmd));
            };
        } catch (IOException e) {
            return new WitnessResult(w.name(), w.about(), "error", null, -1, 0, null, "could not run TLC: " + e.getMessage(),
                    List.of());
        }
    }

    /** The trace to a witness as TLC printed it, under traces/witnesses/; null if it cannot be written. */
    private String saveTrace(Manifest.Model m, Vacuity.Witness w, Outcome o) {
        try {
            Path dir = s.reports().resolve("traces").resolve("witnesses");
            Files.createDirectories(dir);
            Path f = dir.resolve(m.name() + "--" + w.name() + ".tlc.txt");
            TraceFiles.writeAtomically(f, "\\* witness " + w.name() + ": " + w.about() + "\n\\* model " + m.name()
                    + ", design " + m.design() + "\n" + o.traceText());
            return s.root().toAbsolutePath().relativize(f.toAbsolutePath()).toString();
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
