package cdna.proof;

import cdna.design.Design;
import cdna.design.DesignFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * InterGuestIsolation for every size (bin/cdna prove): both designs proved,
 * and the check shown able to fail: a known-bad design refuted, naming the
 * action that breaks induction; undecided and partial runs never read as
 * proved. And the encodings are held to the TLA+: one
 * encoded action per action of the spec's Next, and the conjuncts TLC checks
 * at small bounds in proofs/*Inductive.tla.
 */
class AllSizesProofTest {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final int BUDGET_MS = 60_000;

    static Design design(String name) throws Exception {
        return new DesignFiles(ROOT.resolve("model-check/designs")).load(name);
    }

    static <S> InductionProver.Result prove(Encoding<S> e, String only) {
        return new InductionProver(BUDGET_MS, null, only == null ? null : Pattern.compile(only)).prove(e);
    }

    static String failures(InductionProver.Result r) {
        return r.obligations().stream().filter(o -> o.verdict() != InductionProver.Verdict.PROVED)
                .map(o -> o.verdict() + " " + o.title() + " " + o.reason() + "\n  " + String.join("\n  ", o.counterexample()))
                .collect(Collectors.joining("\n"));
    }

    @Test
    void theCdnaDesignIsProvedForEverySize() throws Exception {
        InductionProver.Result r = prove(new CdnaEncoding(design("cdna-baseline")), null);
        assertTrue(r.proved(), failures(r));
        // 5 lemmas, 12 conjuncts at Init, 10 actions x 12 conjuncts, the property
        assertEquals(5 + 12 + 10 * 12 + 1, r.obligations().size());
    }

    @Test
    void theIommuDesignsAreProvedForEverySize() throws Exception {
        for (String d : List.of("iommu-baseline", "iommu-deferred-flush-before-reuse")) {
            InductionProver.Result r = prove(new IommuEncoding(design(d)), null);
            assertTrue(r.proved(), d + ": " + failures(r));
            assertEquals(5 + 6 * 5 + 1, r.obligations().size());
        }
    }

    /** iommu-shared-requester-id: every context maps into one domain, so one guest's buffer is in reach of another's device. */
    @Test
    void aBadIommuDesignIsRefutedByTheActionThatBreaksIt() throws Exception {
        InductionProver.Result r = prove(new IommuEncoding(design("iommu-shared-requester-id")), "MapBuffer");
        assertFalse(r.proved());
        assertEquals(Map.of("MapBuffer", Set.of("MappedOwned")), brokenBy(r), failures(r));
        assertCounterexampleToInduction(r.refuted().get(0), "MapBuffer");
    }

    /** Fail closed: a query the solver cannot decide in its budget is undecided, and the design is not proved. */
    @Test
    void anUndecidedQueryIsNeverProved() throws Exception {
        InductionProver.Result r = new InductionProver(1, null).prove(new CdnaEncoding(design("cdna-baseline")));
        assertFalse(r.unknown().isEmpty(), "with a 1 ms budget some query must be undecided");
        assertTrue(r.unknown().get(0).reason().contains("gave up"), r.unknown().get(0).reason());
        assertFalse(r.proved());
    }

    @Test
    void aPartialRunIsNeverProved() throws Exception {
        InductionProver.Result r = prove(new IommuEncoding(design("iommu-baseline")), "^Init");
        assertEquals(5, r.obligations().size());
        assertTrue(r.obligations().stream().allMatch(o -> o.verdict() == InductionProver.Verdict.PROVED));
        assertFalse(r.proved(), "a filtered run proves nothing");
    }

    /** The encodings cannot drift from the spec's Next silently: one encoded action per action, same names. */
    @Test
    void everyActionOfNextHasExactlyOneEncodedCounterpart() throws Exception {
        for (Encoding<?> e : List.of(new CdnaEncoding(design("cdna-baseline")), new IommuEncoding(design("iommu-baseline")))) {
            List<String> encoded = actionNames(e);
            assertEquals(encoded.size(), new LinkedHashSet<>(encoded).size(), e.spec() + ": an action encoded twice: " + encoded);
            assertEquals(TlaDefinitions.read(ROOT.resolve(e.spec())).actionsOfNext(), new LinkedHashSet<>(encoded), e.spec());
        }
    }

    /**
     * The invariant Z3 proves is the one TLC checks at small bounds
     * (InductiveInvariantTest): the same conjuncts, under the same names, but for
     * the parts of TypeOK that TLC gets from enumerating type-correct states.
     */
    @Test
    void theInvariantIsTheOneTlcChecksAtSmallBounds() throws Exception {
        Map<Encoding<?>, String> modules = new LinkedHashMap<>();
        modules.put(new CdnaEncoding(design("cdna-baseline")), "proofs/CdnaInductive.tla");
        modules.put(new IommuEncoding(design("iommu-baseline")), "proofs/IommuInductive.tla");
        Set<String> typing = Set.of("CountersInRange", "RingTyped", "CallTyped", "EngineTyped");
        for (Map.Entry<Encoding<?>, String> m : modules.entrySet()) {
            TlaDefinitions proof = TlaDefinitions.read(ROOT.resolve(m.getKey().spec())).plus(TlaDefinitions.read(ROOT.resolve(m.getValue())));
            Set<String> tla = proof.operatorsIn("Conjunct");
            Set<String> z3 = new LinkedHashSet<>(Weakened.conjuncts(m.getKey()));
            z3.removeAll(typing);
            assertEquals(z3, tla, m.getValue() + " IndInv's conjuncts against " + m.getKey().design() + "'s encoding");
            // the names the small-bounds search drops them by (bin/cdna prove --without) are the same
            assertEquals(z3, proof.strings("Conjuncts"), m.getValue() + " Conjuncts");
            assertTrue(proof.operatorsIn("IndInv").containsAll(Set.of("Conjuncts", "Conjunct")), m.getValue() + ": IndInv is every kept conjunct");
        }
    }

    private static List<String> actionNames(Encoding<?> e) {
        return names(e);
    }

    private static <S> List<String> names(Encoding<S> e) {
        try (Smt smt = new Smt()) {
            return e.actions(smt, e.state(smt, "a"), e.state(smt, "b")).stream().map(Encoding.Action::name).toList();
        }
    }

    private static Map<String, Set<String>> brokenBy(InductionProver.Result r) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (InductionProver.Obligation o : r.refuted()) out.computeIfAbsent(o.action(), k -> new LinkedHashSet<>()).add(o.conjunct());
        return out;
    }

    /** A counterexample to induction: the action with its arguments, the witness, a pre-state and a post-state. */
    private static void assertCounterexampleToInduction(InductionProver.Obligation o, String action) {
        String cx = String.join("\n", o.counterexample());
        assertTrue(cx.startsWith("action: " + action + "("), cx);
        assertTrue(cx.contains("breaks " + o.conjunct() + " at "), cx);
        assertTrue(cx.contains("pre-state (satisfies IndInv):") && cx.contains("post-state:"), cx);
        assertFalse(cx.contains("!val!"), "solver names are written as the spec's: " + cx);
    }

    /** Just enough of a TLA+ module's definitions to compare names with an encoding. */
    record TlaDefinitions(Map<String, String> bodies) {
        private static final Pattern DEF = Pattern.compile("^([A-Z][A-Za-z0-9_]*)(\\([^)]*\\))?\\s*==(.*)$");
        private static final Pattern IDENT = Pattern.compile("\\b([A-Z][A-Za-z0-9_]*)\\b");

        static TlaDefinitions read(Path module) throws IOException {
            String text = Files.readString(module).replaceAll("(?s)\\(\\*.*?\\*\\)", "");
            Map<String, String> bodies = new LinkedHashMap<>();
            String current = null;
            StringBuilder body = new StringBuilder();
            for (String line : text.split("\n")) {
                String code = line.replaceAll("\\\\\\*.*$", "");
                Matcher m = DEF.matcher(code);
                if (m.matches() || code.startsWith("----") || code.startsWith("====") || code.startsWith("CONSTANTS")
                        || code.startsWith("VARIABLES") || code.startsWith("ASSUME") || code.startsWith("EXTENDS")) {
                    if (current != null) bodies.put(current, body.toString());
                    current = m.matches() ? m.group(1) : null;
                    body.setLength(0);
                    if (m.matches()) body.append(m.group(3)).append('\n');
                } else if (current != null) {
                    body.append(code).append('\n');
                }
            }
            if (current != null) bodies.put(current, body.toString());
            return new TlaDefinitions(bodies);
        }

        /** This module with another's definitions (an EXTENDS). */
        TlaDefinitions plus(TlaDefinitions other) {
            Map<String, String> all = new LinkedHashMap<>(bodies);
            all.putAll(other.bodies);
            return new TlaDefinitions(all);
        }

        /** The operators defined in this module that a definition names. */
        Set<String> operatorsIn(String def) {
            Set<String> out = new LinkedHashSet<>();
            Matcher m = IDENT.matcher(bodies.get(def));
            while (m.find()) if (bodies.containsKey(m.group(1))) out.add(m.group(1));
            return out;
        }

        /** The string literals a definition names, e.g. a set of names. */
        Set<String> strings(String def) {
            Set<String> out = new LinkedHashSet<>();
            Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(bodies.get(def));
            while (m.find()) out.add(m.group(1));
            return out;
        }

        /** An action: a definition that primes a variable, or names an action. */
        boolean isAction(String name, Set<String> seen) {
            String b = bodies.get(name);
            if (b == null || !seen.add(name)) return false;
            if (b.contains("'")) return true;
            for (String o : operatorsIn(name)) if (isAction(o, seen)) return true;
            return false;
        }

        /** The actions Next names. */
        Set<String> actionsOfNext() {
            Set<String> out = new LinkedHashSet<>();
            for (String o : operatorsIn("Next")) if (isAction(o, new java.util.HashSet<>())) out.add(o);
            return out;
        }
    }
}
