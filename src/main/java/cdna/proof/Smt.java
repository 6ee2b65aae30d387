package cdna.proof;

import com.microsoft.z3.ArithExpr;
import com.microsoft.z3.ArraySort;
import com.microsoft.z3.BoolExpr;
import com.microsoft.z3.Context;
import com.microsoft.z3.Expr;
import com.microsoft.z3.FuncDecl;
import com.microsoft.z3.IntExpr;
import com.microsoft.z3.Sort;

import java.util.Arrays;

/**
 * A thin, untyped layer over Z3's Java API, so that an encoding reads like
 * the TLA+ it encodes: {@code and}, {@code implies}, {@code at(f, x)} for
 * {@code f[x]}, {@code except(f, x, v)} for {@code [f EXCEPT ![x] = v]}.
 * Z3's generics are sound but make every line twice as long; the casts are
 * confined here.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
public final class Smt implements AutoCloseable {
    public final Context z = new Context();
    private int fresh;

    public Sort intSort() { return z.getIntSort(); }
    public Sort boolSort() { return z.getBoolSort(); }
    public Sort sort(String name) { return z.mkUninterpretedSort(name); }
    public ArraySort array(Sort from, Sort to) { return z.mkArraySort(from, to); }

    /** A constant with a name no other constant has (the bound variable of a quantifier, a witness, an action's parameter). */
    public Expr fresh(String name, Sort s) { return z.mkConst(name + "!" + (fresh++), s); }
    public IntExpr freshInt(String name) { return (IntExpr) fresh(name, intSort()); }
    public Expr constant(String name, Sort s) { return z.mkConst(name, s); }

    public IntExpr num(int n) { return z.mkInt(n); }
    public BoolExpr bool(boolean b) { return z.mkBool(b); }
    public BoolExpr and(BoolExpr... xs) { return xs.length == 0 ? z.mkTrue() : z.mkAnd(xs); }
    public BoolExpr or(BoolExpr... xs) { return xs.length == 0 ? z.mkFalse() : z.mkOr(xs); }
    public BoolExpr not(BoolExpr x) { return z.mkNot(x); }
    public BoolExpr implies(BoolExpr a, BoolExpr b) { return z.mkImplies(a, b); }
    public BoolExpr iff(BoolExpr a, BoolExpr b) { return z.mkIff(a, b); }
    public BoolExpr eq(Expr a, Expr b) { return z.mkEq(a, b); }
    public BoolExpr ne(Expr a, Expr b) { return z.mkNot(z.mkEq(a, b)); }
    public Expr ite(BoolExpr c, Expr a, Expr b) { return z.mkITE(c, a, b); }
    public ArithExpr iteInt(BoolExpr c, Expr a, Expr b) { return (ArithExpr) z.mkITE(c, a, b); }
    public BoolExpr iteBool(BoolExpr c, BoolExpr a, BoolExpr b) { return (BoolExpr) z.mkITE(c, a, b); }

    public ArithExpr add(Expr a, Expr b) { return z.mkAdd((ArithExpr) a, (ArithExpr) b); }
    public ArithExpr add(Expr a, int b) { return add(a, num(b)); }
    public ArithExpr sub(Expr a, Expr b) { return z.mkSub((ArithExpr) a, (ArithExpr) b); }
    public ArithExpr sub(Expr a, int b) { return sub(a, num(b)); }
    public BoolExpr lt(Expr a, Expr b) { return z.mkLt((ArithExpr) a, (ArithExpr) b); }
    public BoolExpr le(Expr a, Expr b) { return z.mkLe((ArithExpr) a, (ArithExpr) b); }
    public BoolExpr lt(Expr a, int b) { return lt(a, num(b)); }
    public BoolExpr le(Expr a, int b) { return le(a, num(b)); }
    public BoolExpr ge(Expr a, int b) { return le(num(b), a); }
    public BoolExpr ge(Expr a, Expr b) { return le(b, a); }
    public BoolExpr gt(Expr a, Expr b) { return lt(b, a); }
    /** lo <= x < hi */
    public BoolExpr within(Expr lo, Expr x, Expr hi) { return and(le(lo, x), lt(x, hi)); }

    /** f[x] */
    public Expr at(Expr f, Expr x) { return z.mkSelect(f, x); }
    public Expr at(Expr f, Expr x, Expr y) { return z.mkSelect(z.mkSelect(f, x), y); }
    public BoolExpr holds(Expr f, Expr x) { return (BoolExpr) z.mkSelect(f, x); }
    public BoolExpr holds(Expr f, Expr x, Expr y) { return (BoolExpr) at(f, x, y); }
    /** [f EXCEPT ![x] = v] */
    public Expr except(Expr f, Expr x, Expr v) { return z.mkStore(f, x, v); }
    /** [f EXCEPT ![x][y] = v] */
    public Expr except(Expr f, Expr x, Expr y, Expr v) { return z.mkStore(f, x, z.mkStore(z.mkSelect(f, x), y, v)); }
    /** [x \in S |-> v], v not depending on x */
    public Expr constArray(Sort from, Expr v) { return z.mkConstArray(from, v); }
    /** [x \in S |-> body(x)] */
    public Expr lambda(Expr[] xs, Expr body) { return z.mkLambda(xs, body); }

    /**
     * {@code f = [x \in S, y \in T |-> body]}, stated point by point (∀ x, y : f[x][y] = body) rather than as
     * an equation between arrays and a lambda: Z3 decides the pointwise form where the lambda's quantified body
     * leaves its array theory incomplete.
     */
    public BoolExpr defines(Expr f, Expr[] xs, Expr body) {
        Expr app = f;
        for (Expr x : xs) app = z.mkSelect(app, x);
        return forall(xs, z.mkEq(app, body));
    }

    public Expr apply(FuncDecl f, Expr... args) { return z.mkApp(f, args); }
    public FuncDecl function(String name, Sort to, Sort... from) { return z.mkFuncDecl(name, from, to); }

    public BoolExpr forall(Expr[] xs, BoolExpr body) {
        return xs.length == 0 ? body : z.mkForall(xs, body, 1, null, null, null, null);
    }
    public BoolExpr exists(Expr[] xs, BoolExpr body) {
        return xs.length == 0 ? body : z.mkExists(xs, body, 1, null, null, null, null);
    }
    public BoolExpr forall(Expr x, BoolExpr body) { return forall(new Expr[]{x}, body); }
    public BoolExpr exists(Expr x, BoolExpr body) { return exists(new Expr[]{x}, body); }

    public static Expr[] vars(Expr... xs) { return Arrays.copyOf(xs, xs.length); }

    @Override
    public void close() { z.close(); }
}
