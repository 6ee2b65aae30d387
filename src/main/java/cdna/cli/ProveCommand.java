package cdna.cli;

import cdna.check.InductionSearch;
import cdna.design.Design;
import cdna.design.DesignFiles;
import cdna.proof.Encoding;
import cdna.proof.InductionProver;
import cdna.proof.Proofs;
import cdna.proof.Weakened;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * bin/cdna prove: InterGuestIsolation for every size, by Z3. For each design,
 * the inductive invariant of its protection mode's spec is checked one
 * obligation at a time (each lemma, Init, each action of Next, the property),
 * so a failure names the action that breaks induction and prints the
 * pre-state. Where Z3 leaves obligations undecided, TLC looks for a
 * counterexample to induction at small bounds (cdna.check.InductionSearch):
 * one found there is one for every size; none found leaves them undecided.
 */
@Command(name = "prove", mixinStandardHelpOptions = true,
        description = {"Prove InterGuestIsolation for any number of guests, contexts, pages and ring slots (Z3): "
                + "the design's inductive invariant, one query per lemma, action and conjunct.",
                "Where Z3 leaves obligations undecided, TLC searches for a counterexample to induction at small bounds "
                        + "(proofs/*Inductive.tla): one found there is one for every size.",
                "Exit 0: every design proved; 1: an obligation refuted (its counterexample to induction is printed) "
                        + "or undecided; 2: bad arguments; 3: TLC refuted an obligation Z3 proved (the encoding and the spec disagree)."})
public final class ProveCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "DESIGN", description = "Design files to prove (default: cdna-baseline iommu-baseline).")
    List<String> names = new ArrayList<>(List.of("cdna-baseline", "iommu-baseline"));

    @Option(names = "--designs", description = "Directory of design files (default: ${DEFAULT-VALUE}).")
    Path designs = Path.of("model-check/designs");

    @Option(names = "--without", split = ",", paramLabel = "CONJUNCT",
            description = "Drop these conjuncts from the invariant, to see which action needs each.")
    List<String> without = new ArrayList<>();

    @Option(names = "--only", paramLabel = "REGEX",
            description = "Decide only the obligations whose title matches, e.g. 'FreePage'. A partial run never reports proved.")
    String only;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Budget of each query (default: ${DEFAULT-VALUE}); a query that needs more is reported undecided, never proved.")
    int timeout = 120;

    @Option(names = "--verbose", description = "Print every obligation, proved ones too.")
    boolean verbose;

    @Option(names = "--no-search", description = "Do not search with TLC at small bounds when Z3 leaves obligations undecided.")
    boolean noSearch;

    @Option(names = "--search-timeout", paramLabel = "SECONDS",
            description = "Budget of the small-bounds search (default: ${DEFAULT-VALUE}); a search that needs more finds nothing.")
    int searchTimeout = 600;

    @Option(names = "--root", paramLabel = "DIR", description = "Project root, with proofs/ and specs/ (default: current directory).")
    Path root = Path.of(".");

    /** A design, its encoding (weakened by --without) and the conjuncts dropped. */
    private record Job(Design design, Encoding<?> encoding, List<String> conjuncts, List<String> actions) {}

    @Override
    public Integer call() throws Exception {
        if (timeout < 1) throw new IllegalArgumentException("--timeout must be at least 1 second, not " + timeout);
        if (searchTimeout < 1) throw new IllegalArgumentException("--search-timeout must be at least 1 second, not " + searchTimeout);
        Pattern filter = null;
        if (only != null) {
            try {
                filter = Pattern.compile(only);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("--only: not a regular expression: " + e.getDescription() + " in '" + only + "'");
            }
        }
        if (!Files.isDirectory(designs)) throw new IllegalArgumentException("--designs: no such directory: " + designs);
        // load and check every argument before proving anything
        DesignFiles df = new DesignFiles(designs);
        List<Job> jobs = new ArrayList<>();
        for (String n : new LinkedHashSet<>(names)) {
            Design d = df.load(n);
            Encoding<?> e = Proofs.encodingOf(d);
            List<String> known = Weakened.conjuncts(e);
            if (!without.isEmpty()) {
                for (String w : without) {
                    if (!known.contains(w)) {
                        throw new IllegalArgumentException("--without: " + w + " is not a conjunct of " + d.name() + "'s invariant; it has "
                                + String.join(", ", known));
                    }
                }
                e = weaken(e, Set.copyOf(without));
            }
            jobs.add(new Job(d, e, known, actionNames(e)));
        }
        int worst = 0;
        for (Job j : jobs) worst = Math.max(worst, prove(j, filter));
        return worst;
    }

    private static <S> List<String> actionNames(Encoding<S> e) {
        try (cdna.proof.Smt smt = new cdna.proof.Smt()) {
            return e.actions(smt, e.state(smt, "a"), e.state(smt, "b")).stream().map(Encoding.Action::name).toList();
        }
    }

    private static <S> Encoding<S> weaken(Encoding<S> e, Set<String> without) {
        return new Weakened<>(e, without);
    }

    /** @return 0 proved, 1 refuted or undecided, 3 TLC refuted what Z3 proved */
    private int prove(Job j, Pattern filter) throws Exception {
        Encoding<?> e = j.encoding();
        System.out.println("cdna prove " + e.design() + " (" + e.spec() + ")");
        InductionProver.Result r = new InductionProver(timeout * 1000, o -> {
            if (o.verdict() == InductionProver.Verdict.PROVED) {
                if (verbose) System.out.printf(Locale.ROOT, "  proved     %7.2f s  %s%n", o.seconds(), o.title());
                return;
            }
            System.out.printf(Locale.ROOT, "  %-9s  %7.2f s  %s%n", o.verdict() == InductionProver.Verdict.REFUTED ? "REFUTED" : "UNDECIDED",
                    o.seconds(), o.title());
            for (String l : o.counterexample()) System.out.println("      " + l);
            if (!o.reason().isEmpty()) System.out.println("      " + o.reason());
        }, filter).prove(e);
        System.out.println(summary(r));
        if (r.proved()) return 0;
        if (!r.refuted().isEmpty() || r.unknown().isEmpty() || noSearch) return 1;
        return search(j, r);
    }

    /** Z3 left obligations undecided and refuted none: look for a counterexample to induction at small bounds. */
    private int search(Job j, InductionProver.Result r) throws Exception {
        Set<String> dropped = Set.copyOf(without);
        String module = InductionSearch.module(j.design());
        System.out.println("  searching for a counterexample to induction at small bounds: TLC, proofs/" + module
                + ".tla with " + module + "Step.cfg's bounds, one step from every state satisfying IndInv");
        Set<String> kept = InductionSearch.keptAnyway(dropped);
        if (!kept.isEmpty()) {
            System.out.println("  (TLC enumerates only type-correct states: " + String.join(", ", kept) + " hold there anyway)");
        }
        root = root.toAbsolutePath().normalize();
        Path work = root.resolve("target").resolve("prove").resolve(j.design().name() + "-" + System.currentTimeMillis());
        InductionSearch.Result s;
        try {
            s = new InductionSearch(root).search(j.design(), j.conjuncts(), j.actions(), dropped, java.time.Duration.ofSeconds(searchTimeout), work);
        } catch (java.io.IOException | cdna.json.InputException ex) {
            System.out.println("  the search failed: " + ex.getMessage() + "; still undecided for all sizes");
            return 1;
        }
        System.out.println("  TLC: " + s.command());
        switch (s.kind()) {
            case NONE -> {
                System.out.printf(Locale.ROOT, "  none at %s (%d states satisfy IndInv there): still undecided for all sizes%n", s.bounds(), s.states());
                return 1;
            }
            case FAILED -> {
                System.out.println("  the search failed: " + s.message() + "; still undecided for all sizes");
                return 1;
            }
            default -> { }
        }
        String action = String.join(" or ", s.actions());
        String title = s.action().isEmpty() ? "IndInv => " + s.conjunct() : "IndInv /\\ " + action + " => " + s.conjunct() + "'";
        System.out.println("  REFUTED at small bounds (TLC)  " + title);
        if (!s.action().isEmpty()) {
            System.out.println("      action: " + action + (s.actions().contains(s.action()) ? "" : " (TLC labels the step " + s.action()
                    + ", the operator " + (s.actions().size() > 1 ? "they are" : "it is") + " defined through)"));
        }
        System.out.println("      breaks " + s.conjunct() + " at " + s.bounds());
        for (String l : InductionSearch.describe(s.trace())) System.out.println("      " + l);
        // the same obligation, as Z3 left it: undecided is consistent, proved means the encoding misses this step
        List<String> steps = s.action().isEmpty() ? List.of("") : s.actions();
        boolean provedByZ3 = steps.stream().allMatch(a -> r.obligations().stream().anyMatch(o ->
                o.verdict() == InductionProver.Verdict.PROVED && o.conjunct().equals(s.conjunct()) && o.action().equals(a)));
        if (provedByZ3) {
            System.out.println("  DRIFT: Z3 proved " + title + " for all sizes, and TLC refutes it in the spec: the encoding "
                    + "and the spec disagree (" + j.encoding().spec() + ")");
            return 3;
        }
        System.out.println("  REFUTED: " + title + " (a counterexample to induction at small bounds is one for every size)");
        return 1;
    }

    /** One line: the verdict, the obligations by kind, the time. */
    static String summary(InductionProver.Result r) {
        long lemmas = r.obligations().stream().filter(o -> o.kind().equals("lemma")).count();
        long init = r.obligations().stream().filter(o -> o.kind().equals("init")).count();
        long step = r.obligations().stream().filter(o -> o.kind().equals("step")).count();
        long actions = r.obligations().stream().filter(o -> o.kind().equals("step")).map(InductionProver.Obligation::action).distinct().count();
        String counts = String.format(Locale.ROOT, "%d obligations: %d lemmas, %d init, %d step over %d actions, %d property; %.1f s",
                r.obligations().size(), lemmas, init, step, actions, r.obligations().size() - lemmas - init - step, r.seconds());
        if (r.proved()) return "  PROVED for all sizes: InterGuestIsolation (" + counts + ")";
        if (!r.refuted().isEmpty()) {
            List<String> what = r.refuted().stream().map(o -> o.action().isEmpty() ? o.title() : o.action()).distinct().toList();
            return "  REFUTED: " + r.refuted().size() + " obligation(s) fail, broken by " + String.join(", ", what) + " (" + counts + ")";
        }
        if (!r.unknown().isEmpty()) return "  NOT PROVED: " + r.unknown().size() + " obligation(s) undecided (" + counts + ")";
        return "  NOT PROVED: partial run (--only), " + counts;
    }
}
