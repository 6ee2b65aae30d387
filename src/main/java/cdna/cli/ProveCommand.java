package cdna.cli;

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
 * pre-state.
 */
@Command(name = "prove", mixinStandardHelpOptions = true,
        description = {"Prove InterGuestIsolation for any number of guests, contexts, pages and ring slots (Z3): "
                + "the design's inductive invariant, one query per lemma, action and conjunct.",
                "Exit 0: every design proved; 1: an obligation refuted (its counterexample to induction is printed) "
                        + "or undecided; 2: bad arguments."})
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

    @Override
    public Integer call() throws Exception {
        if (timeout < 1) throw new IllegalArgumentException("--timeout must be at least 1 second, not " + timeout);
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
        List<Encoding<?>> encodings = new ArrayList<>();
        for (String n : new LinkedHashSet<>(names)) {
            Design d = df.load(n);
            Encoding<?> e = Proofs.encodingOf(d);
            if (!without.isEmpty()) {
                List<String> known = Weakened.conjuncts(e);
                for (String w : without) {
                    if (!known.contains(w)) {
                        throw new IllegalArgumentException("--without: " + w + " is not a conjunct of " + d.name() + "'s invariant; it has "
                                + String.join(", ", known));
                    }
                }
                e = weaken(e, Set.copyOf(without));
            }
            encodings.add(e);
        }
        boolean all = true;
        for (Encoding<?> e : encodings) all &= prove(e, filter);
        return all ? 0 : 1;
    }

    private static <S> Encoding<S> weaken(Encoding<S> e, Set<String> without) {
        return new Weakened<>(e, without);
    }

    private boolean prove(Encoding<?> e, Pattern filter) {
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
        return r.proved();
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
