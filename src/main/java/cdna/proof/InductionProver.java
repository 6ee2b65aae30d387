package cdna.proof;

import com.microsoft.z3.BoolExpr;
import com.microsoft.z3.Expr;
import com.microsoft.z3.Model;
import com.microsoft.z3.Params;
import com.microsoft.z3.Solver;
import com.microsoft.z3.Status;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Proves an encoding's invariant inductive for every size, one query per
 * obligation, so that a failure names what fails:
 * <ul>
 *   <li>each lemma (the arithmetic facts the encoding then assumes);</li>
 *   <li>Init ⇒ each conjunct of IndInv;</li>
 *   <li>IndInv ∧ A ⇒ each conjunct of IndInv′, for each action A of Next;</li>
 *   <li>IndInv ⇒ the property.</li>
 * </ul>
 * A query is proved when the solver finds its negation unsatisfiable. A
 * satisfiable negation is a counterexample (to induction, for a step: a
 * pre-state satisfying IndInv, not necessarily reachable, and the action that
 * leaves IndInv). Anything else, a timeout or an "unknown", is reported as
 * such and never as proved.
 */
public final class InductionProver {

    public enum Verdict { PROVED, REFUTED, UNKNOWN }

    /**
     * @param kind           lemma, init, step or property
     * @param action         the action, for a step (else empty)
     * @param conjunct       the conjunct or lemma or property at stake
     * @param counterexample for REFUTED: the action with its arguments, the witness, the states
     * @param reason         for UNKNOWN: the solver's reason
     */
    public record Obligation(String kind, String action, String conjunct, Verdict verdict, double seconds,
                             List<String> counterexample, String reason) {
        public String title() {
            return switch (kind) {
                case "lemma" -> "lemma " + conjunct;
                case "init" -> "Init => " + conjunct;
                case "step" -> "IndInv /\\ " + action + " => " + conjunct + "'";
                default -> "IndInv => " + conjunct;
            };
        }
    }

    /** @param partial only some obligations were decided (a filter): never a proof */
    public record Result(String design, String spec, List<Obligation> obligations, double seconds, boolean partial) {
        public boolean proved() {
            return !partial && !obligations.isEmpty() && obligations.stream().allMatch(o -> o.verdict() == Verdict.PROVED);
        }
        public List<Obligation> refuted() { return obligations.stream().filter(o -> o.verdict() == Verdict.REFUTED).toList(); }
        public List<Obligation> unknown() { return obligations.stream().filter(o -> o.verdict() == Verdict.UNKNOWN).toList(); }
        public long count(Verdict v) { return obligations.stream().filter(o -> o.verdict() == v).count(); }
    }

    private final int timeoutMs;
    private final Consumer<Obligation> progress;
    private final Pattern only;

    /** @param timeoutMs each query's budget; a query that needs more is UNKNOWN */
    public InductionProver(int timeoutMs, Consumer<Obligation> progress) {
        this(timeoutMs, progress, null);
    }

    /** @param only decide only the obligations whose title this finds (null: all); the result is then partial */
    public InductionProver(int timeoutMs, Consumer<Obligation> progress, Pattern only) {
        this.timeoutMs = timeoutMs;
        this.progress = progress;
        this.only = only;
    }

    public <S> Result prove(Encoding<S> e) {
        long t0 = System.nanoTime();
        List<Obligation> out = new ArrayList<>();
        try (Smt smt = new Smt()) {
            for (Encoding.Lemma l : e.lemmas(smt)) {
                add(out, report(decide(smt, "lemma", "", l.name(), List.of(smt.not(l.statement())), 1, List.of(), null, null, null)));
            }
            BoolExpr bg = e.background(smt);
            List<Encoding.Conjunct> axioms = e.axioms(smt);

            S s0 = e.state(smt, "init");
            for (Encoding.Conjunct k : e.invariant(smt, s0)) {
                Goal g = new Goal(smt, e, axioms, List.of(), s0, null, k, null);
                add(out, report(decide(smt, "init", "", k.name(), g.facts(List.of(bg, e.init(smt, s0))), 3, g.quantified(), k, null,
                        m -> states(smt, e, m, s0, null))));
            }

            S pre = e.state(smt, "pre");
            S post = e.state(smt, "post");
            List<Encoding.Conjunct> indInv = e.invariant(smt, pre);
            for (Encoding.Action a : e.actions(smt, pre, post)) {
                for (Encoding.Conjunct k : e.invariant(smt, post)) {
                    Goal g = new Goal(smt, e, axioms, indInv, pre, post, k, a);
                    add(out, report(decide(smt, "step", a.name(), k.name(), g.facts(List.of(bg, a.step())), 3, g.quantified(), k, a,
                            m -> states(smt, e, m, pre, post))));
                }
            }

            S s = e.state(smt, "any");
            Encoding.Conjunct p = e.property(smt, s);
            Goal g = new Goal(smt, e, axioms, e.invariant(smt, s), s, null, p, null);
            add(out, report(decide(smt, "property", "", p.name(), g.facts(List.of(bg)), 2, g.quantified(), p, null,
                    m -> states(smt, e, m, s, null))));
        }
        return new Result(e.design(), e.spec(), out, (System.nanoTime() - t0) / 1e9, only != null);
    }

    /**
     * One obligation's facts: the negated goal with its witnesses free, the
     * hypotheses (invariant conjuncts of the pre-state, axioms) both as
     * quantified formulas and as ground instances at the terms the goal is
     * about (its witnesses, the action's arguments, the encoding's hints).
     */
    private static final class Goal {
        final List<BoolExpr> ground = new ArrayList<>();
        final List<BoolExpr> quantified = new ArrayList<>();
        final BoolExpr negated;

        <S> Goal(Smt smt, Encoding<S> e, List<Encoding.Conjunct> axioms, List<Encoding.Conjunct> hyps, S pre, S post,
                 Encoding.Conjunct goal, Encoding.Action a) {
            negated = smt.not(goal.body());
            List<Encoding.Term> pool = new ArrayList<>();
            for (Expr b : goal.bound()) pool.add(new Encoding.Term(role(b), b));
            if (a != null) for (Expr b : a.params()) pool.add(new Encoding.Term(role(b), b));
            List<Encoding.Term> given = List.copyOf(pool);
            pool.addAll(e.hints(smt, pre, given));
            if (post != null) pool.addAll(e.hints(smt, post, given));
            for (Encoding.Conjunct k : hyps) {
                quantified.add(k.holds(smt));
                ground.addAll(instances(k, pool));
            }
            for (Encoding.Conjunct k : axioms) {
                quantified.add(k.holds(smt));
                ground.addAll(instances(k, pool));
            }
        }

        List<BoolExpr> facts(List<BoolExpr> more) {
            List<BoolExpr> out = new ArrayList<>(more);
            out.add(negated);
            out.addAll(ground);
            return out;
        }

        List<BoolExpr> quantified() { return quantified; }
    }

    /** A term's role: its name without the freshness suffix for an integer, else its sort (C, G, Buf, ...). */
    static String role(Expr e) {
        return e.getSort() instanceof com.microsoft.z3.IntSort ? name(e) : e.getSort().toString();
    }

    private static final int MAX_INSTANCES = 4096;

    /** k's body at every tuple of pool terms whose roles match k's bound variables (none if too many). */
    private static List<BoolExpr> instances(Encoding.Conjunct k, List<Encoding.Term> pool) {
        Expr[] bound = k.bound();
        if (bound.length == 0) return List.of(k.body());
        List<List<Expr>> choices = new ArrayList<>();
        long n = 1;
        for (Expr b : bound) {
            String r = role(b);
            List<Expr> c = new ArrayList<>();
            for (Encoding.Term t : pool) if (t.role().equals(r) && t.e().getSort().equals(b.getSort()) && !c.contains(t.e())) c.add(t.e());
            if (c.isEmpty()) return List.of();
            choices.add(c);
            n *= c.size();
        }
        if (n > MAX_INSTANCES) return List.of();
        List<BoolExpr> out = new ArrayList<>();
        int[] ix = new int[bound.length];
        while (true) {
            Expr[] to = new Expr[bound.length];
            for (int i = 0; i < bound.length; i++) to[i] = choices.get(i).get(ix[i]);
            out.add((BoolExpr) k.body().substitute(bound, to));
            int i = 0;
            while (i < bound.length && ++ix[i] == choices.get(i).size()) ix[i++] = 0;
            if (i == bound.length) return out;
        }
    }

    private static void add(List<Obligation> out, Obligation o) {
        if (o != null) out.add(o);
    }

    private Obligation report(Obligation o) {
        if (o != null && progress != null) progress.accept(o);
        return o;
    }

    /**
     * First with the ground instances alone: unsatisfiable there is proved (the
     * instances follow from the quantified hypotheses). Otherwise again with the
     * quantified hypotheses too, where only the solver's answer counts: a model
     * is a counterexample, anything else is UNKNOWN.
     */
    private Obligation decide(Smt smt, String kind, String action, String conjunct, List<BoolExpr> facts, int groundFrom, List<BoolExpr> quantified,
                              Encoding.Conjunct witness, Encoding.Action a, java.util.function.Function<Model, List<String>> describe) {
        if (only != null && !only.matcher(new Obligation(kind, action, conjunct, Verdict.UNKNOWN, 0, List.of(), "").title()).find()) {
            return null;
        }
        long t0 = System.nanoTime();
        Status st = check(smt, facts).check();
        if (st == Status.UNSATISFIABLE) return new Obligation(kind, action, conjunct, Verdict.PROVED, (System.nanoTime() - t0) / 1e9, List.of(), "");
        // the quantified hypotheses alone: the solver finds models more easily without the instances
        List<BoolExpr> all = new ArrayList<>(quantified);
        all.addAll(facts.subList(0, groundFrom));
        Solver solver = check(smt, all);
        st = solver.check();
        double secs = (System.nanoTime() - t0) / 1e9;
        return switch (st) {
            case UNSATISFIABLE -> new Obligation(kind, action, conjunct, Verdict.PROVED, secs, List.of(), "");
            case SATISFIABLE -> {
                Model m = solver.getModel();
                List<String> cx = new ArrayList<>();
                if (a != null) cx.add("action: " + a.name() + args(m, a.params()));
                if (witness != null && witness.bound().length > 0) cx.add("breaks " + conjunct + " at " + bindings(m, witness.bound()));
                else cx.add("breaks " + conjunct);
                if (describe != null) cx.addAll(describe.apply(m));
                yield new Obligation(kind, action, conjunct, Verdict.REFUTED, secs, cx, "");
            }
            default -> new Obligation(kind, action, conjunct, Verdict.UNKNOWN, secs, List.of(),
                    "the solver gave up: " + solver.getReasonUnknown() + String.format(Locale.ROOT, " (budget %d ms)", timeoutMs));
        };
    }

    private Solver check(Smt smt, List<BoolExpr> facts) {
        Solver solver = smt.z.mkSolver();
        Params params = smt.z.mkParams();
        params.add("timeout", timeoutMs);
        solver.setParameters(params);
        solver.add(facts.toArray(new BoolExpr[0]));
        return solver;
    }

    private static <S> List<String> states(Smt smt, Encoding<S> e, Model m, S pre, S post) {
        List<String> out = new ArrayList<>();
        out.add(post == null ? "state:" : "pre-state (satisfies IndInv):");
        for (String l : e.describe(smt, m, pre)) out.add("  " + l);
        if (post != null) {
            out.add("post-state:");
            for (String l : e.describe(smt, m, post)) out.add("  " + l);
        }
        return out;
    }

    private static String args(Model m, Expr[] params) {
        List<String> xs = new ArrayList<>();
        for (Expr p : params) xs.add(value(m, p));
        return "(" + String.join(", ", xs) + ")";
    }

    private static String bindings(Model m, Expr[] bound) {
        List<String> xs = new ArrayList<>();
        for (Expr b : bound) xs.add(name(b) + " = " + value(m, b));
        return String.join(", ", xs);
    }

    /** A bound variable's spec name: the constant's name without the suffix that made it fresh. */
    static String name(Expr e) {
        String s = e.toString();
        int i = s.indexOf('!');
        return i < 0 ? s : s.substring(0, i);
    }

    private static final Pattern ELEMENT = Pattern.compile("([A-Za-z]+)!val!(\\d+)");

    /** The field names of each record constructor the encodings use, to print their values as TLA+ records. */
    private static final java.util.Map<String, List<String>> RECORDS = java.util.Map.of(
            "cell", List.of("page", "off"),
            "buffer", List.of("first", "second", "off", "len"),
            "desc", List.of("addr", "len", "seq"),
            "buf", List.of("addr", "len"),
            "eng", List.of("desc", "moved"));

    /** A value in the model, written as the spec writes it: g1 for G!val!0, records as [f |-> v], a guest owner as the guest. */
    public static String value(Model m, Expr e) {
        return pretty(m.eval(e, true).toString());
    }

    public static String pretty(String s) {
        Matcher mt = ELEMENT.matcher(s);
        StringBuilder b = new StringBuilder();
        while (mt.find()) mt.appendReplacement(b, mt.group(1).toLowerCase(Locale.ROOT) + (Integer.parseInt(mt.group(2)) + 1));
        mt.appendTail(b);
        int[] at = {0};
        return tla(parse(b.toString().trim(), at));
    }

    /** An s-expression: an atom (String) or a list. */
    private static Object parse(String s, int[] at) {
        while (at[0] < s.length() && s.charAt(at[0]) == ' ') at[0]++;
        if (at[0] < s.length() && s.charAt(at[0]) == '(') {
            at[0]++;
            List<Object> xs = new ArrayList<>();
            while (true) {
                while (at[0] < s.length() && s.charAt(at[0]) == ' ') at[0]++;
                if (at[0] >= s.length()) return xs;
                if (s.charAt(at[0]) == ')') { at[0]++; return xs; }
                xs.add(parse(s, at));
            }
        }
        int start = at[0];
        while (at[0] < s.length() && " ()".indexOf(s.charAt(at[0])) < 0) at[0]++;
        return s.substring(start, at[0]);
    }

    private static String tla(Object x) {
        if (x instanceof String a) return a;
        List<?> xs = (List<?>) x;
        if (xs.isEmpty()) return "()";
        String head = xs.get(0) instanceof String h ? h : "";
        List<String> args = xs.subList(1, xs.size()).stream().map(InductionProver::tla).toList();
        if (head.equals("-") && args.size() == 1) return "-" + args.get(0);
        if (head.equals("Guest") && args.size() == 1) return args.get(0);
        List<String> fields = RECORDS.get(head);
        if (fields != null && fields.size() == args.size()) {
            List<String> fs = new ArrayList<>();
            for (int i = 0; i < fields.size(); i++) fs.add(fields.get(i) + " |-> " + args.get(i));
            return "[" + String.join(", ", fs) + "]";
        }
        return "(" + head + (args.isEmpty() ? "" : " " + String.join(" ", args)) + ")";
    }
}
