package cdna.check;

import cdna.design.Design;
import cdna.json.InputException;
import cdna.trace.TlaValue;
import cdna.trace.TraceState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A counterexample to induction searched for by TLC at small bounds, for when
 * the solver cannot decide a query of the all-sizes proof (Z3 finds models
 * poorly once quantifiers range over the integers).
 *
 * <p>The run is the step check of {@code proofs/CdnaInductive.tla} or
 * {@code proofs/IommuInductive.tla}: TLC starts from every type-correct
 * state satisfying the invariant at the bounds of the Step cfg, with the
 * design's switches and the conjuncts dropped, and takes one step. Each kept
 * conjunct is its own INVARIANT, so TLC names the one a step breaks, and the
 * property is checked in every start state.
 *
 * <p>Why a find here is a refutation for every size: the start state satisfies
 * the invariant (at least as strong as the weakened one: TLC enumerates only
 * type-correct states), and the step is one of the spec's, which the encoding
 * over-approximates. So a pre-state, an action and a broken conjunct found at
 * these bounds is a counterexample to induction at any size that contains
 * them. Finding none proves nothing beyond these bounds.
 */
public final class InductionSearch {

    /** What was found: a counterexample (an action and a conjunct, or the property in a start state), none, or a failed run. */
    public enum Kind { FOUND, NONE, FAILED }

    /**
     * @param conjunct the conjunct a step breaks, or the property a start state breaks
     * @param action   the step's action as TLC labels it (empty when the property fails in a start state)
     * @param actions  the actions of Next that step can be: the label itself, or the actions defined through it
     *                 (TLC labels a step by the innermost operator, e.g. IommuProtection's Reclaim for FreePage)
     * @param trace    the pre-state, and the post-state after the action
     * @param states   the start states TLC enumerated (the invariant's size at these bounds), for NONE
     * @param command  TLC's command line, to reproduce the run
     */
    public record Result(Kind kind, String conjunct, String action, List<String> actions, List<TraceState> trace, long states,
                         String bounds, String message, String command) {}

    /** The conjuncts TLC never weakens: it enumerates only type-correct states, where they hold anyway. */
    private static final Set<String> TYPING = Set.of("CountersInRange", "RingTyped", "CallTyped", "EngineTyped",
            "UnflushedNat", "PostedAreBuffers");

    /** The constants of the Step cfg that are bounds, printed with a found counterexample. */
    private static final List<String> BOUNDS = List.of("Guests", "Contexts", "NPages", "Pages", "PageSize", "MaxLen", "RingSize", "SeqMod");

    private static final String PREFIX = "IndInv_";

    private final Path root;

    /** @param root the project root (proofs/ and specs/ under it) */
    public InductionSearch(Path root) {
        this.root = root;
    }

    /** The module whose step check serves a design's protection mode. */
    public static String module(Design d) {
        return d.protection() == Design.Protection.SOFTWARE ? "CdnaInductive" : "IommuInductive";
    }

    /** The conjuncts of {@code dropped} that TLC cannot leave out at small bounds (the search keeps them). */
    public static Set<String> keptAnyway(Set<String> dropped) {
        Set<String> out = new TreeSet<>(dropped);
        out.retainAll(TYPING);
        return out;
    }

    /**
     * Runs TLC once: the design's step check without {@code dropped}.
     *
     * @param conjuncts the names of the invariant's conjuncts (the encoding's), each checked as its own invariant
     * @param actions   the names of the actions of Next (the encoding's), to name a step TLC labels by a helper
     * @param work      a fresh directory for the generated module, cfg, log and metadir
     */
    public Result search(Design design, List<String> conjuncts, List<String> actions, Set<String> dropped, Duration timeout, Path work)
            throws IOException, InputException {
        String module = module(design);
        Path proofs = root.resolve("proofs");
        Cfg cfg = Cfg.read(proofs.resolve(module + "Step.cfg"));
        Set<String> tlaDropped = new TreeSet<>(dropped);
        tlaDropped.removeAll(TYPING);
        Map<String, String> overrides = new LinkedHashMap<>(cfg.designOverrides(design));
        overrides.put("Dropped", "{" + String.join(", ", tlaDropped.stream().map(n -> "\"" + n + "\"").toList()) + "}");

        List<String> kept = conjuncts.stream().filter(n -> !dropped.contains(n) && !TYPING.contains(n)).toList();
        Files.createDirectories(work);
        String wrapper = module + "Search";
        StringBuilder tla = new StringBuilder("---- MODULE ").append(wrapper).append(" ----\n")
                .append("\\* Generated by cdna prove: one invariant per conjunct of IndInv, so TLC names the one a step breaks.\n")
                .append("EXTENDS ").append(module).append("\n");
        for (String n : kept) tla.append(PREFIX).append(n).append(" == Conjunct(\"").append(n).append("\")\n");
        tla.append("====\n");
        Path tlaFile = work.resolve(wrapper + ".tla");
        Files.writeString(tlaFile, tla);
        List<String> invariants = new ArrayList<>();
        for (String n : kept) invariants.add(PREFIX + n);
        invariants.add("InterGuestIsolation");
        Path cfgFile = work.resolve(wrapper + ".cfg");
        Files.writeString(cfgFile, cfg.render(overrides, invariants, List.of(),
                design.name() + ": a counterexample to induction at small bounds, without " + tlaDropped));

        List<Path> lib = List.of(root.resolve("specs"), proofs, work);
        TlcRunner.Run run = new TlcRunner(TlcRunner.Launcher.tlc("2g")).run(new TlcRunner.Request(tlaFile, cfgFile, lib, 1,
                timeout, work.resolve("tlc"), List.of()));
        Outcome o = Outcome.of(run, lib);
        String command = TlcRunner.shellLine(run.command());
        String bounds = bounds(cfg);
        if (o.kind() == Outcome.Kind.NO_ERROR) {
            return new Result(Kind.NONE, "", "", List.of(), List.of(), o.distinct(), bounds, "no counterexample to induction at " + bounds, command);
        }
        if (o.kind() == Outcome.Kind.INVARIANT_VIOLATED && o.trace() != null && !o.trace().isEmpty()) {
            String broken = o.violated().startsWith(PREFIX) ? o.violated().substring(PREFIX.length()) : o.violated();
            List<TraceState> t = o.trace();
            if (t.size() == 2 && !broken.equals("InterGuestIsolation")) {
                String label = t.get(1).action();
                return new Result(Kind.FOUND, broken, label, actionsOf(design, label, actions), t, o.distinct(), bounds, o.message(), command);
            }
            if (t.size() == 1 && broken.equals("InterGuestIsolation")) {
                return new Result(Kind.FOUND, broken, "", List.of(), t, o.distinct(), bounds, o.message(), command);
            }
            return new Result(Kind.FAILED, broken, "", List.of(), t, o.distinct(), bounds,
                    "unexpected trace of " + t.size() + " state(s) breaking " + o.violated() + ": the step check takes one step", command);
        }
        return new Result(Kind.FAILED, "", "", List.of(), List.of(), o.distinct(), bounds, o.kind() + ": " + o.message(), command);
    }

    private static final Pattern DEFINITION = Pattern.compile("^([A-Z][A-Za-z0-9_]*)\\([^)]*\\)\\s*==(.*)$", Pattern.MULTILINE);

    /** The actions a step labelled {@code label} can be: the label, if an action, else the actions whose one-line definition uses it. */
    private List<String> actionsOf(Design design, String label, List<String> actions) throws IOException {
        if (actions.contains(label)) return List.of(label);
        String spec = Files.readString(root.resolve("specs").resolve(
                design.protection() == Design.Protection.SOFTWARE ? "CdnaProtection.tla" : "IommuProtection.tla"));
        List<String> out = new ArrayList<>();
        Matcher m = DEFINITION.matcher(spec);
        while (m.find()) {
            if (actions.contains(m.group(1)) && m.group(2).matches(".*\\b" + Pattern.quote(label) + "\\(.*")) out.add(m.group(1));
        }
        return out.isEmpty() ? List.of(label) : out;
    }

    private static String bounds(Cfg cfg) {
        List<String> out = new ArrayList<>();
        for (String b : BOUNDS) {
            Cfg.Constant c = cfg.constants().get(b);
            if (c != null) out.add(b + " = " + c.value());
        }
        return String.join(", ", out);
    }

    /**
     * A state in the spec's vocabulary, a line per variable: the whole pre-state,
     * and of the post-state only what the action changed.
     */
    public static List<String> describe(List<TraceState> trace) {
        List<String> out = new ArrayList<>();
        TraceState pre = trace.get(0);
        out.add(trace.size() == 1 ? "state (satisfies IndInv):" : "pre-state (satisfies IndInv):");
        for (Map.Entry<String, TlaValue> v : pre.vars().entrySet()) out.add("  " + v.getKey() + " = " + v.getValue().toTla());
        if (trace.size() > 1) {
            out.add("post-state (what " + trace.get(1).action() + " changed):");
            for (Map.Entry<String, TlaValue> v : trace.get(1).vars().entrySet()) {
                if (!v.getValue().equals(pre.vars().get(v.getKey()))) out.add("  " + v.getKey() + "' = " + v.getValue().toTla());
            }
        }
        return out;
    }
}
