package cdna.conformance;

import cdna.json.InputException;
import cdna.json.LocatedJson;
import cdna.sim.HostSystem;
import cdna.sim.Violation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A NoLostInterrupt counterexample: a lasso, a stem and then a cycle that
 * repeats forever.  TLC says the cycle returns from the last state to state
 * {@code loopsBackTo} (the labeller names the closing step, {@code loopStep}),
 * or that the behaviour stutters in its last state.
 *
 * <p>A lasso violates {@code (owedTo[c] = g) ~> (owedTo[c] # g)} when g is
 * owed c's event in every state of the cycle and the cycle is a fair
 * behaviour of FairSpec: every weakly fair action (HandleInterrupt,
 * ClearVector, ScanVector, DeliverVirq(c)) that is enabled in all of the
 * cycle's states is taken in it.  On Java the replay shows exactly that: the
 * stem, one turn of the cycle and the closing step agree with the trace on
 * every variable, so Java is back in the loop-back state; a second turn agrees
 * too, so the loop repeats in Java and not just in the abstraction; the
 * fairness condition holds for Java's own enabledness; g is owed the event
 * throughout; and the isolation checker flags NoLostInterrupt for c and g.
 * Anything short of that is not reproduced.
 */
final class LassoReplay {
    private LassoReplay() {}

    /** A weakly fair action instance of FairSpec, tried on a copy of the system to see whether it is enabled. */
    private record Fair(String name, Predicate<HostSystem> step) {}

    static ReplayResult replay(Path traceJson, Trace t, ModelSetup m) throws InputException {
        String head = t.model() + " " + t.property() + ": ";
        int n = t.states().size();
        if (!m.ownership()) {
            return notReproduced(traceJson, t, 0, List.of(), List.of(), head + "NOT REPRODUCED (NoLostInterrupt is a property of "
                    + "ContextOwnership, but model " + t.model() + " checks another spec)");
        }
        if (!t.lasso()) {
            return notReproduced(traceJson, t, 0, List.of(), List.of(), head + "NOT REPRODUCED (NoLostInterrupt is a liveness property "
                    + "and its counterexample is a lasso, but this trace has no \"loopsBackTo\")");
        }
        if (!t.stutters() && t.loopStep() == null) {
            return notReproduced(traceJson, t, 0, List.of(), List.of(), head + "NOT REPRODUCED (" + t.loopsBackToNode().where()
                    + ": the lasso goes back to state " + t.loopsBackTo() + ", but the trace has no \"loopStep\" naming the step "
                    + "that gets there (was it labelled?), so the cycle cannot be closed)");
        }
        int k = t.stutters() ? n : t.loopsBackTo();

        HostSystem sys = new HostSystem(m.config(), m.design());
        TraceReplay.Flags flags = new TraceReplay.Flags();
        List<String> notes = flags.notes;
        flags.collect(sys, 1);
        List<Fair> fair = fairActions(m);
        // Weak fairness only constrains an action that stays enabled, so it is enough to know, per action, whether
        // some state of the cycle disables it.
        Map<String, Boolean> enabledThroughout = new LinkedHashMap<>();
        for (Fair f : fair) enabledThroughout.put(f.name(), true);
        List<String> cycleSteps = new ArrayList<>();
        int applied = 0;

        String divergence = TraceReplay.compare(t.states().get(0), sys, m);
        if (divergence == null && k == 1) recordEnabled(sys, fair, enabledThroughout);
        for (int i = 1; i < n && divergence == null; i++) {
            Trace.State st = t.states().get(i);
            divergence = TraceReplay.takeStep(sys, m, st, TraceReplay.where(st), notes);
            if (divergence != null) break;
            applied++;
            flags.collect(sys, st.index());
            divergence = TraceReplay.compare(st, sys, m);
            if (st.index() > k) cycleSteps.add(stepName(st));
            if (divergence == null && st.index() >= k) recordEnabled(sys, fair, enabledThroughout);
        }

        Trace.State target = t.states().get(k - 1);
        Trace.State closing = null;
        if (divergence == null && !t.stutters()) {
            closing = new Trace.State(n + 1, t.loopStep().action(), t.loopStep().actionNode(), t.loopStep().params(), target.vars());
            cycleSteps.add(stepName(closing));
            String where = "the loop step " + closing.label() + " from state " + n + " back to state " + k;
            divergence = TraceReplay.takeStep(sys, m, closing, where, notes);
            if (divergence == null) {
                applied++;
                flags.collect(sys, n + 1);
                divergence = TraceReplay.compare(closing, where, sys, m);
            }
            // A second turn: Java state the abstraction does not show must not stop the cycle from repeating.
            for (int i = k; i < n && divergence == null; i++) {
                Trace.State st = t.states().get(i);
                String w = "the second turn of the cycle, state " + st.index() + " (" + st.label() + ")";
                divergence = TraceReplay.takeStep(sys, m, st, w, notes);
                if (divergence != null) break;
                applied++;
                divergence = TraceReplay.compare(st, w, sys, m);
            }
            if (divergence == null) {
                String w = "the second turn's loop step " + closing.label() + " back to state " + k;
                divergence = TraceReplay.takeStep(sys, m, closing, w, notes);
                if (divergence == null) {
                    applied++;
                    divergence = TraceReplay.compare(closing, w, sys, m);
                }
            }
        }
        if (divergence != null) {
            return new ReplayResult(traceJson.toString(), t.model(), t.design(), t.property(), false, n, applied, divergence,
                    flags.flagged, notes, head + "DIVERGES at " + divergence);
        }

        String cycle = t.stutters() ? "the behaviour stutters in state " + n
                : "the cycle is states " + k + ".." + n + " and the loop step " + closing.label() + " back to state " + k;
        notes.add("the trace is a lasso: " + cycle);

        // Weak fairness: an action enabled in every state of the cycle must be one of its steps.
        List<String> unfair = new ArrayList<>();
        for (Fair f : fair) if (enabledThroughout.get(f.name()) && !cycleSteps.contains(f.name())) unfair.add(f.name());
        if (!unfair.isEmpty()) {
            return new ReplayResult(traceJson.toString(), t.model(), t.design(), t.property(), false, n, applied, null, flags.flagged,
                    notes, head + "NOT REPRODUCED (every state agrees, but in Java the cycle is not fair: " + String.join(", ", unfair)
                    + (unfair.size() == 1 ? " is" : " are") + " enabled in every state of the cycle and never taken, so "
                    + "FairSpec does not allow it to repeat forever)");
        }

        // Who is owed what throughout the cycle; Java agrees with the trace on owedTo in each of these states.
        List<String[]> lost = new ArrayList<>();
        for (String c : m.config().contexts()) {
            String g = owedTo(target, c);
            if (g == null || g.equals(m.noGuest())) continue;
            boolean always = true;
            for (int i = k; i <= n; i++) always &= g.equals(owedTo(t.states().get(i - 1), c));
            if (always) lost.add(new String[] {c, g});
        }
        if (lost.isEmpty()) {
            return new ReplayResult(traceJson.toString(), t.model(), t.design(), t.property(), false, n, applied, null, flags.flagged,
                    notes, head + "NOT REPRODUCED (every state agrees and the cycle is fair, but in no context is one guest owed an "
                    + "event in every state of the cycle, so the lasso does not lose an interrupt)");
        }

        String shown = null;
        for (String[] cg : lost) {
            for (int i = 0; i < flags.all.size() && shown == null; i++) {
                Violation v = flags.all.get(i);
                if (v.property().equals(Violation.NO_LOST_INTERRUPT) && cg[0].equals(v.context()) && cg[1].equals(v.guest())) {
                    shown = "owedTo[" + cg[0] + "] = " + cg[1] + " in every state of the cycle, so " + cg[1] + "'s event of " + cg[0]
                            + " is never delivered; the checker flags NoLostInterrupt (" + v.kind() + ") for " + cg[0] + " and "
                            + cg[1] + " at state " + flags.at.get(i);
                }
            }
        }
        List<String> owed = new ArrayList<>();
        for (String[] cg : lost) owed.add("owedTo[" + cg[0] + "] = " + cg[1]);
        if (shown == null) {
            return new ReplayResult(traceJson.toString(), t.model(), t.design(), t.property(), false, n, applied, null, flags.flagged,
                    notes, head + "NOT REPRODUCED (every state agrees, the cycle is fair and " + String.join(", ", owed)
                    + " throughout it, but the checker flags NoLostInterrupt for none of them)");
        }
        String turns = t.stutters() ? "all " + n + " states agree and no weakly fair action is enabled in the last one"
                : "the stem, the cycle and its loop step agree with the trace on every variable, twice round (Java is back in state "
                + k + " after each turn, so the loop repeats forever), and every weakly fair action enabled throughout the cycle is "
                + "taken in it";
        return new ReplayResult(traceJson.toString(), t.model(), t.design(), t.property(), true, n, applied, null, flags.flagged,
                notes, head + "reproduced (" + turns + "; " + shown + ")");
    }

    private static ReplayResult notReproduced(Path file, Trace t, int applied, List<String> flagged, List<String> notes, String summary) {
        return new ReplayResult(file.toString(), t.model(), t.design(), t.property(), false, t.states().size(), applied, null, flagged,
                notes, summary);
    }

    /** FairSpec's weakly fair actions, by the names the trace's steps use. */
    private static List<Fair> fairActions(ModelSetup m) {
        List<Fair> r = new ArrayList<>();
        r.add(new Fair("HandleInterrupt", HostSystem::handleInterrupt));
        r.add(new Fair("ClearVector", HostSystem::clearVector));
        r.add(new Fair("ScanVector", HostSystem::scanVector));
        for (String c : m.config().contexts()) r.add(new Fair("DeliverVirq(c = " + c + ")", s -> s.deliverVirq(c)));
        return r;
    }

    /** Marks every fair action that is disabled in the current Java state. */
    private static void recordEnabled(HostSystem sys, List<Fair> fair, Map<String, Boolean> enabledThroughout) {
        for (Fair f : fair) {
            HostSystem probe = sys.copy();
            probe.checker().off();
            if (!f.step().test(probe)) enabledThroughout.put(f.name(), false);
        }
    }

    /** A step's name as {@link #fairActions} writes it (a parameterless action may carry TLC's dummy [none |-> 0]). */
    private static String stepName(Trace.State st) {
        return switch (st.action()) {
            case "HandleInterrupt", "ClearVector", "ScanVector" -> st.action();
            default -> st.label();
        };
    }

    private static String owedTo(Trace.State st, String c) {
        if (st.vars().get("owedTo") instanceof LocatedJson.Obj o && o.get(c) instanceof LocatedJson.Val v && v.value() instanceof String g) {
            return g;
        }
        return null;
    }
}
