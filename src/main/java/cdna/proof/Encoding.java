package cdna.proof;

import com.microsoft.z3.BoolExpr;
import com.microsoft.z3.Expr;
import com.microsoft.z3.Model;

import java.util.List;

/**
 * A spec, written for an SMT solver over every size at once: its constants
 * are unconstrained except for the spec's ASSUMEs, its sets (guests,
 * contexts, pages, slots) have no bound. S is the encoding's state: one
 * value per TLA+ VARIABLE.
 *
 * <p>An encoding may over-approximate the spec (drop a guard, leave a count
 * free): a proof of the over-approximation is a proof of the spec, since it
 * admits every step the spec admits. It must never under-approximate. Each
 * encoding says where it over-approximates, and why that is enough.
 */
public interface Encoding<S> {

    /** The design the proof is about (a design file name). */
    String design();

    /** The spec file, relative to the project root, whose Next the actions mirror. */
    String spec();

    /** The spec's state, with fresh constants for its variables. */
    S state(Smt smt, String tag);

    /** Ground facts about the constants (the spec's ASSUMEs), true in every query. */
    BoolExpr background(Smt smt);

    /** The lemmas in the uninterpreted form the queries use, true in every query. */
    default List<Conjunct> axioms(Smt smt) { return List.of(); }

    /**
     * Terms worth instantiating the invariant and the axioms at, besides the
     * witnesses and the action's arguments (the pool): for instance each
     * context's counters. Only a hint for the solver: it changes how fast a
     * query is decided, never what it means.
     */
    default List<Term> hints(Smt smt, S s, List<Term> pool) { return List.of(); }

    /** Arithmetic facts proved first (each a closed formula over real arithmetic); their axioms are in {@link #background}. */
    List<Lemma> lemmas(Smt smt);

    BoolExpr init(Smt smt, S s);

    /** The inductive invariant, one named conjunct each. */
    List<Conjunct> invariant(Smt smt, S s);

    /** The property the invariant must imply. */
    Conjunct property(Smt smt, S s);

    /** The spec's actions, one per action in its Next, with the spec's names. */
    List<Action> actions(Smt smt, S pre, S post);

    /** A counterexample's state, in the spec's vocabulary (the model gives sizes and values). */
    List<String> describe(Smt smt, Model m, S s);

    /**
     * One conjunct: {@code \A bound : body}. Keeping the bound variables apart
     * lets the prover take the negation as {@code ~body} with the bound
     * variables left free, so the solver names the witness.
     */
    record Conjunct(String name, Expr[] bound, BoolExpr body) {
        public BoolExpr holds(Smt smt) { return smt.forall(bound, body); }
    }

    /** One action: its spec name, its parameters (existentially quantified, left free), its step formula. */
    record Action(String name, Expr[] params, BoolExpr step) {}

    /** A term and its role: the bound variables it may instantiate are those named like it (Int) or of its sort. */
    record Term(String role, Expr e) {}

    /** A fact the encoding assumes in uninterpreted form, proved here in its arithmetic form. */
    record Lemma(String name, BoolExpr statement) {}
}
