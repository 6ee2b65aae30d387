package cdna.proof;

import com.microsoft.z3.BoolExpr;
import com.microsoft.z3.Model;

import java.util.List;
import java.util.Set;

/**
 * An encoding whose invariant lacks some conjuncts: the way to show that the
 * induction check can fail, and which action needs each conjunct.
 */
public record Weakened<S>(Encoding<S> base, Set<String> without) implements Encoding<S> {

    public Weakened {
        without = Set.copyOf(without);
    }

    /** The names of the conjuncts of base's invariant (to check a --without list against). */
    public static <S> List<String> conjuncts(Encoding<S> e) {
        try (Smt smt = new Smt()) {
            return e.invariant(smt, e.state(smt, "names")).stream().map(Conjunct::name).toList();
        }
    }

    @Override public String design() { return base.design() + " (IndInv without " + String.join(", ", without.stream().sorted().toList()) + ")"; }
    @Override public String spec() { return base.spec(); }
    @Override public S state(Smt smt, String tag) { return base.state(smt, tag); }
    @Override public BoolExpr background(Smt smt) { return base.background(smt); }
    @Override public List<Conjunct> axioms(Smt smt) { return base.axioms(smt); }
    @Override public List<Term> hints(Smt smt, S s, List<Term> pool) { return base.hints(smt, s, pool); }
    @Override public List<Lemma> lemmas(Smt smt) { return base.lemmas(smt); }
    @Override public BoolExpr init(Smt smt, S s) { return base.init(smt, s); }
    @Override public Conjunct property(Smt smt, S s) { return base.property(smt, s); }
    @Override public List<Action> actions(Smt smt, S pre, S post) { return base.actions(smt, pre, post); }
    @Override public List<String> describe(Smt smt, Model m, S s) { return base.describe(smt, m, s); }

    @Override
    public List<Conjunct> invariant(Smt smt, S s) {
        return base.invariant(smt, s).stream().filter(k -> !without.contains(k.name())).toList();
    }
}
