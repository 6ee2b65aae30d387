package cdna.proof;

import cdna.design.Design;
import com.microsoft.z3.ArithExpr;
import com.microsoft.z3.BoolExpr;
import com.microsoft.z3.Constructor;
import com.microsoft.z3.DatatypeSort;
import com.microsoft.z3.Expr;
import com.microsoft.z3.FuncDecl;
import com.microsoft.z3.IntExpr;
import com.microsoft.z3.Model;
import com.microsoft.z3.Sort;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * specs/CdnaProtection.tla, for any number of guests, contexts and pages, any
 * ring size, any sequence-number modulus the spec allows, any page size and
 * buffer length, with and without the modelled doorbell and the two-step
 * hypercall (both are left free, so one proof covers all four).
 *
 * <p>How the spec's arithmetic is encoded:
 * <ul>
 *   <li>Counters live in 0..SeqMod-1; {@code (y - x) % SeqMod} for two of
 *       them is {@code dist(x, y)}, a linear case split.</li>
 *   <li>{@code Slot(s) = s % RingSize}, with RingSize unbounded, is an
 *       uninterpreted function constrained by four lemmas that Z3 proves for
 *       the real {@code %} first (with SeqMod a multiple of RingSize).</li>
 *   <li>{@code PageOf} is left uninterpreted altogether: the proof holds for
 *       any map from bytes to pages. The end of a byte's page
 *       ({@code PageOf(a) * PageSize}) is a function known only to lie beyond
 *       the byte (a lemma).</li>
 * </ul>
 * Where it over-approximates (more steps, never fewer): pages are all
 * integers and a buffer may end anywhere (the spec bounds both by
 * {@code NPages}), which only adds states the invariant must also cover.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
public final class CdnaEncoding implements Encoding<CdnaEncoding.State> {

    /** One value per VARIABLE of CdnaProtection. */
    public record State(Expr owner, Expr ctxOwner, Expr ring, Expr prod, Expr reaped, Expr nicNext, Expr doorbell,
                        Expr engine, Expr call, Expr pinBit) {}

    private final Design design;
    private Vocab v;

    public CdnaEncoding(Design design) {
        if (design.protection() != Design.Protection.SOFTWARE) {
            throw new IllegalArgumentException(design.name() + ": not a software-protection (CDNA) design");
        }
        this.design = design;
    }

    @Override public String design() { return design.name(); }
    @Override public String spec() { return "specs/CdnaProtection.tla"; }

    private final class Vocab {
        final Smt smt;
        final Sort g, c;
        final DatatypeSort owner, desc, buf, eng;
        final FuncDecl hyp, guest, mkDesc, dAddr, dLen, dSeq, mkBuf, bAddr, bLen, mkEng, eDesc, eMoved, slot, pageOf, pageEnd;
        final IntExpr ringSize, seqMod, maxLen;
        final BoolExpr modelDoorbell, hypercallWindow;
        final List<Expr> pages = new ArrayList<>();

        Vocab(Smt smt) {
            this.smt = smt;
            var z = smt.z;
            Sort i = smt.intSort();
            g = smt.sort("G");
            c = smt.sort("C");
            owner = z.mkDatatypeSort("Owner", new Constructor[]{
                    z.mkConstructor("Hyp", "isHyp", null, null, null),
                    z.mkConstructor("Guest", "isGuest", new String[]{"guest"}, new Sort[]{g}, null)});
            hyp = owner.getConstructors()[0];
            guest = owner.getConstructors()[1];
            desc = z.mkDatatypeSort("Desc", new Constructor[]{
                    z.mkConstructor("desc", "isDesc", new String[]{"addr", "len", "seq"}, new Sort[]{i, i, i}, null)});
            mkDesc = desc.getConstructors()[0];
            dAddr = desc.getAccessors()[0][0];
            dLen = desc.getAccessors()[0][1];
            dSeq = desc.getAccessors()[0][2];
            buf = z.mkDatatypeSort("Buf", new Constructor[]{
                    z.mkConstructor("buf", "isBuf", new String[]{"addr", "len"}, new Sort[]{i, i}, null)});
            mkBuf = buf.getConstructors()[0];
            bAddr = buf.getAccessors()[0][0];
            bLen = buf.getAccessors()[0][1];
            eng = z.mkDatatypeSort("Engine", new Constructor[]{
                    z.mkConstructor("eng", "isEng", new String[]{"desc", "moved"}, new Sort[]{desc, i}, null)});
            mkEng = eng.getConstructors()[0];
            eDesc = eng.getAccessors()[0][0];
            eMoved = eng.getAccessors()[0][1];
            slot = smt.function("Slot", i, i);
            pageOf = smt.function("PageOf", i, i);
            pageEnd = smt.function("PageEnd", i, i);
            ringSize = (IntExpr) smt.constant("RingSize", i);
            seqMod = (IntExpr) smt.constant("SeqMod", i);
            maxLen = (IntExpr) smt.constant("MaxLen", i);
            modelDoorbell = (BoolExpr) smt.constant("ModelDoorbell", smt.boolSort());
            hypercallWindow = (BoolExpr) smt.constant("HypercallWindow", smt.boolSort());
        }

        Expr guest(Expr x) { return smt.apply(guest, x); }
        Expr hyp() { return smt.apply(hyp); }
        Expr addr(Expr d) { return smt.apply(dAddr, d); }
        Expr len(Expr d) { return smt.apply(dLen, d); }
        Expr seq(Expr d) { return smt.apply(dSeq, d); }
        Expr baddr(Expr b) { return smt.apply(bAddr, b); }
        Expr blen(Expr b) { return smt.apply(bLen, b); }
        Expr edesc(Expr e) { return smt.apply(eDesc, e); }
        Expr moved(Expr e) { return smt.apply(eMoved, e); }
        Expr slot(Expr s) { return smt.apply(slot, s); }
        Expr pageOf(Expr a) { return smt.apply(pageOf, a); }

        Expr noDesc() { return smt.apply(mkDesc, smt.num(0), smt.num(0), seqMod); }
        Expr idle() { return smt.apply(mkEng, noDesc(), smt.num(0)); }
        Expr noCall() { return smt.apply(mkBuf, smt.num(0), smt.num(0)); }

        Expr newPage(String name) { Expr p = smt.freshInt(name); pages.add(p); return p; }

        /** (y - x) % SeqMod, for x and y in 0..SeqMod-1 */
        ArithExpr dist(Expr x, Expr y) { return smt.iteInt(smt.ge(y, x), smt.sub(y, x), smt.add(smt.sub(y, x), seqMod)); }
        /** Succ(s) */
        Expr succ(Expr s) { return smt.ite(smt.eq(smt.add(s, 1), seqMod), smt.num(0), smt.add(s, 1)); }
        BoolExpr isSeq(Expr s) { return smt.within(smt.num(0), s, seqMod); }

        Expr inFlight(State st, Expr ctx) { return dist(smt.at(st.reaped(), ctx), smt.at(st.prod(), ctx)); }
        /** s \in Outstanding(c) */
        BoolExpr outstanding(State st, Expr ctx, Expr s) {
            return smt.and(isSeq(s), smt.lt(dist(smt.at(st.reaped(), ctx), s), inFlight(st, ctx)));
        }
        /** s \in Produced(c) */
        BoolExpr produced(State st, Expr ctx, Expr s) {
            Expr d = dist(s, smt.at(st.prod(), ctx));
            return smt.and(isSeq(s), smt.ge(d, 1), smt.le(d, ringSize));
        }
        /** ring[c][Slot(s)] */
        Expr descAt(State st, Expr ctx, Expr s) { return smt.at(st.ring(), ctx, slot(s)); }
        /** a \in CellsOf(d) */
        BoolExpr inDesc(Expr d, Expr a) { return smt.and(smt.le(addr(d), a), smt.lt(a, smt.add(addr(d), len(d)))); }
        BoolExpr inBuf(Expr b, Expr a) { return smt.and(smt.le(baddr(b), a), smt.lt(a, smt.add(baddr(b), blen(b)))); }
        BoolExpr ownedBy(State st, Expr a, Expr ctx) {
            return smt.eq(smt.at(st.owner(), pageOf(a)), guest(smt.at(st.ctxOwner(), ctx)));
        }
        /** b \in Buffers (the spec also bounds the end by the memory size: see the class comment) */
        BoolExpr isBuffer(Expr b) { return smt.and(smt.ge(baddr(b), 0), smt.ge(blen(b), 1), smt.le(blen(b), maxLen)); }

        /** p \in Pinned */
        BoolExpr pinned(State st, Expr p) {
            if (!design.countPins()) return smt.holds(st.pinBit(), p);
            Expr x = smt.fresh("c", c), s = smt.freshInt("s"), a = smt.freshInt("a");
            BoolExpr byDesc = smt.exists(Smt.vars(x, s, a),
                    smt.and(outstanding(st, x, s), inDesc(descAt(st, x, s), a), smt.eq(pageOf(a), p)));
            if (!design.pinAtValidation()) return byDesc;
            Expr y = smt.fresh("c", c), b = smt.freshInt("a");
            BoolExpr byCall = smt.exists(Smt.vars(y, b), smt.and(smt.ne(smt.at(st.call(), y), noCall()),
                    inBuf(smt.at(st.call(), y), b), smt.eq(pageOf(b), p)));
            return smt.or(byDesc, byCall);
        }

        /** Validated(g, b) */
        BoolExpr validated(State st, Expr g, Expr b) {
            if (!design.validateAllPages()) return smt.eq(smt.at(st.owner(), pageOf(baddr(b))), guest(g));
            Expr a = smt.freshInt("a");
            return smt.forall(a, smt.implies(inBuf(b, a), smt.eq(smt.at(st.owner(), pageOf(a)), guest(g))));
        }

        /** a \in DeviceReach(c) */
        BoolExpr reach(State st, Expr ctx, Expr a) {
            Expr e = smt.at(st.engine(), ctx), d = edesc(e);
            BoolExpr rest = smt.and(inDesc(d, a), smt.ge(a, smt.add(addr(d), moved(e))));
            BoolExpr fetchable;
            if (design.sequenceNumbers()) {
                Expr s = smt.freshInt("s");
                Expr nn = smt.at(st.nicNext(), ctx);
                Expr first = smt.ite(smt.eq(e, idle()), smt.num(0), smt.num(1));
                Expr ahead = dist(nn, smt.at(st.prod(), ctx));
                fetchable = smt.exists(s, smt.and(isSeq(s), smt.le(first, dist(nn, s)), smt.lt(dist(nn, s), ahead),
                        inDesc(descAt(st, ctx, s), a)));
            } else {
                Expr i = smt.freshInt("i");
                fetchable = smt.exists(i, smt.and(smt.within(smt.num(0), i, ringSize), inDesc(smt.at(st.ring(), ctx, i), a)));
            }
            return smt.or(rest, fetchable);
        }
    }

    private Vocab v(Smt smt) {
        if (v == null || v.smt != smt) v = new Vocab(smt);
        return v;
    }

    @Override
    public State state(Smt smt, String tag) {
        Vocab v = v(smt);
        Sort i = smt.intSort();
        Sort perCtx = smt.array(v.c, i);
        return new State(
                smt.constant("owner_" + tag, smt.array(i, v.owner)),
                smt.constant("ctxOwner_" + tag, smt.array(v.c, v.g)),
                smt.constant("ring_" + tag, smt.array(v.c, smt.array(i, v.desc))),
                smt.constant("prod_" + tag, perCtx),
                smt.constant("reaped_" + tag, perCtx),
                smt.constant("nicNext_" + tag, perCtx),
                smt.constant("doorbell_" + tag, perCtx),
                smt.constant("engine_" + tag, smt.array(v.c, v.eng)),
                smt.constant("call_" + tag, smt.array(v.c, v.buf)),
                smt.constant("pinBit_" + tag, smt.array(i, smt.boolSort())));
    }

    @Override
    public BoolExpr background(Smt smt) {
        Vocab v = v(smt);
        // ASSUME SeqMod % RingSize = 0 /\ SeqMod >= 2 * RingSize (the divisibility is used by the lemmas only)
        return smt.and(smt.ge(v.ringSize, 1), smt.ge(v.seqMod, smt.add(v.ringSize, v.ringSize)), smt.ge(v.maxLen, 1));
    }

    /** The lemmas, as facts about the uninterpreted Slot and PageEnd. */
    @Override
    public List<Conjunct> axioms(Smt smt) {
        Vocab v = v(smt);
        IntExpr r = v.ringSize;
        List<Conjunct> out = new ArrayList<>();
        {
            IntExpr s = smt.freshInt("s");
            Expr sl = v.slot(s);
            out.add(new Conjunct("SlotInRing", Smt.vars(s), smt.implies(v.isSeq(s), smt.and(smt.ge(sl, 0), smt.lt(sl, r)))));
        }
        {
            IntExpr s = smt.freshInt("s");
            Expr sl = v.slot(s);
            out.add(new Conjunct("SlotOfSucc", Smt.vars(s), smt.implies(v.isSeq(s), smt.eq(v.slot(v.succ(s)),
                    smt.ite(smt.eq(sl, smt.sub(r, 1)), smt.num(0), smt.add(sl, 1))))));
        }
        {
            IntExpr s = smt.freshInt("s"), t = smt.freshInt("s");
            out.add(new Conjunct("SlotsApart", Smt.vars(s, t), smt.implies(
                    smt.and(v.isSeq(s), v.isSeq(t), smt.eq(v.slot(s), v.slot(t)), smt.lt(v.dist(s, t), r)), smt.eq(s, t))));
        }
        {
            IntExpr s = smt.freshInt("s"), t = smt.freshInt("s");
            out.add(new Conjunct("SlotReused", Smt.vars(s, t), smt.implies(
                    smt.and(v.isSeq(s), v.isSeq(t), smt.eq(v.dist(s, t), r)), smt.eq(v.slot(s), v.slot(t)))));
        }
        {
            IntExpr a = smt.freshInt("a");
            out.add(new Conjunct("PageEndBeyond", Smt.vars(a), smt.implies(smt.ge(a, 0), smt.gt(smt.apply(v.pageEnd, a), a))));
        }
        return out;
    }

    /** Each candidate context's counters (and their successors and slots): where the ring conjuncts and Slot's lemmas are needed. */
    @Override
    public List<Term> hints(Smt smt, State st, List<Term> pool) {
        Vocab v = v(smt);
        List<Term> out = new ArrayList<>();
        List<Expr> contexts = pool.stream().filter(t -> t.role().equals("C")).map(Term::e).toList();
        List<Expr> slots = pool.stream().filter(t -> t.role().equals("i")).map(Term::e).toList();
        for (Expr c : contexts) {
            for (Expr i : slots) out.add(new Term("s", v.seq(smt.at(st.ring(), c, i))));
            for (Expr ctr : List.of(smt.at(st.prod(), c), smt.at(st.reaped(), c), smt.at(st.nicNext(), c))) {
                out.add(new Term("s", ctr));
                out.add(new Term("s", v.succ(ctr)));
                out.add(new Term("i", v.slot(ctr)));
            }
            Expr e = smt.at(st.engine(), c);
            out.add(new Term("a", smt.add(v.addr(v.edesc(e)), v.moved(e))));
            out.add(new Term("s", v.seq(v.edesc(e))));
        }
        return out;
    }

    @Override
    public List<Lemma> lemmas(Smt smt) {
        var z = smt.z;
        IntExpr s = smt.freshInt("s"), t = smt.freshInt("t"), r = smt.freshInt("RingSize"), k = smt.freshInt("k");
        IntExpr a = smt.freshInt("a"), ps = smt.freshInt("PageSize");
        ArithExpr m = z.mkMul(k, r); // SeqMod = k * RingSize, k >= 2: the spec's ASSUME
        BoolExpr ctx = smt.and(smt.ge(r, 1), smt.ge(k, 2), smt.within(smt.num(0), s, m), smt.within(smt.num(0), t, m));
        Expr succ = smt.ite(smt.eq(smt.add(s, 1), m), smt.num(0), smt.add(s, 1));
        Expr dist = smt.iteInt(smt.ge(t, s), smt.sub(t, s), smt.add(smt.sub(t, s), m));
        IntExpr sm = z.mkMod(s, r), tm = z.mkMod(t, r);
        return List.of(
                new Lemma("SlotInRing", smt.implies(ctx, smt.and(smt.ge(sm, 0), smt.lt(sm, r)))),
                new Lemma("SlotOfSucc", smt.implies(ctx, smt.eq(z.mkMod((IntExpr) succ, r),
                        smt.ite(smt.eq(sm, smt.sub(r, 1)), smt.num(0), smt.add(sm, 1))))),
                new Lemma("SlotsApart", smt.implies(smt.and(ctx, smt.eq(sm, tm), smt.lt(dist, r)), smt.eq(s, t))),
                new Lemma("SlotReused", smt.implies(smt.and(ctx, smt.eq(dist, r)), smt.eq(sm, tm))),
                // PageOf(a) * PageSize, the end of a's page, lies beyond a
                new Lemma("PageEndBeyond", smt.implies(smt.and(smt.ge(a, 0), smt.ge(ps, 1)),
                        smt.gt(z.mkMul(smt.add(z.mkDiv(a, ps), 1), ps), a))));
    }

    @Override
    public BoolExpr init(Smt smt, State s) {
        Vocab v = v(smt);
        Sort i = smt.intSort();
        Expr zero = smt.constArray(v.c, smt.num(0));
        return smt.and(
                smt.eq(s.owner(), smt.constArray(i, v.hyp())),
                smt.eq(s.ring(), smt.constArray(v.c, smt.constArray(i, v.noDesc()))),
                smt.eq(s.prod(), zero), smt.eq(s.reaped(), zero), smt.eq(s.nicNext(), zero), smt.eq(s.doorbell(), zero),
                smt.eq(s.engine(), smt.constArray(v.c, v.idle())),
                smt.eq(s.call(), smt.constArray(v.c, v.noCall())),
                smt.eq(s.pinBit(), smt.constArray(i, smt.bool(false))));
    }

    @Override
    public List<Conjunct> invariant(Smt smt, State s) {
        Vocab v = v(smt);
        List<Conjunct> out = new ArrayList<>();
        {
            Expr c = smt.fresh("c", v.c);
            out.add(new Conjunct("CountersInRange", Smt.vars(c), smt.and(v.isSeq(smt.at(s.prod(), c)), v.isSeq(smt.at(s.reaped(), c)),
                    v.isSeq(smt.at(s.nicNext(), c)), v.isSeq(smt.at(s.doorbell(), c)))));
        }
        {
            Expr c = smt.fresh("c", v.c), i = smt.freshInt("i");
            Expr d = smt.at(s.ring(), c, i);
            out.add(new Conjunct("RingTyped", Smt.vars(c, i), smt.or(smt.eq(d, v.noDesc()),
                    smt.and(smt.ge(v.addr(d), 0), smt.ge(v.len(d), 1), smt.le(v.len(d), v.maxLen), v.isSeq(v.seq(d))))));
        }
        {
            Expr c = smt.fresh("c", v.c);
            Expr b = smt.at(s.call(), c);
            out.add(new Conjunct("CallTyped", Smt.vars(c), smt.or(smt.eq(b, v.noCall()), v.isBuffer(b))));
        }
        {
            Expr c = smt.fresh("c", v.c);
            out.add(new Conjunct("EngineTyped", Smt.vars(c), smt.ge(v.moved(smt.at(s.engine(), c)), 0)));
        }
        {
            Expr p = v.newPage("p");
            out.add(new Conjunct("BitsOk", Smt.vars(p), smt.not(smt.holds(s.pinBit(), p))));
        }
        {
            // a checked, unwritten hypercall has a free slot waiting and covers only its guest's pages
            Expr c = smt.fresh("c", v.c), a = smt.freshInt("a");
            Expr b = smt.at(s.call(), c);
            out.add(new Conjunct("CallOk", Smt.vars(c, a), smt.iteBool(v.hypercallWindow,
                    smt.implies(smt.ne(b, v.noCall()), smt.and(smt.lt(v.inFlight(s, c), v.ringSize),
                            smt.implies(v.inBuf(b, a), v.ownedBy(s, a, c)))),
                    smt.eq(b, v.noCall()))));
        }
        {
            Expr c = smt.fresh("c", v.c);
            out.add(new Conjunct("Window", Smt.vars(c), smt.and(smt.le(v.inFlight(s, c), v.ringSize),
                    smt.le(v.dist(smt.at(s.reaped(), c), smt.at(s.nicNext(), c)), v.inFlight(s, c)))));
        }
        {
            Expr c = smt.fresh("c", v.c), i = smt.freshInt("i");
            Expr d = smt.at(s.ring(), c, i);
            out.add(new Conjunct("SlotsTagged", Smt.vars(c, i), smt.implies(smt.within(smt.num(0), i, v.ringSize),
                    smt.or(smt.eq(d, v.noDesc()), smt.and(v.produced(s, c, v.seq(d)), smt.eq(v.slot(v.seq(d)), i))))));
        }
        {
            Expr c = smt.fresh("c", v.c), x = smt.freshInt("s");
            out.add(new Conjunct("OutstandingInSlots", Smt.vars(c, x),
                    smt.implies(v.outstanding(s, c, x), smt.eq(v.seq(v.descAt(s, c, x)), x))));
        }
        {
            Expr c = smt.fresh("c", v.c), x = smt.freshInt("s"), a = smt.freshInt("a");
            out.add(new Conjunct("OutstandingOwned", Smt.vars(c, x, a),
                    smt.implies(smt.and(v.outstanding(s, c, x), v.inDesc(v.descAt(s, c, x), a)), v.ownedBy(s, a, c))));
        }
        {
            Expr c = smt.fresh("c", v.c);
            Expr e = smt.at(s.engine(), c), nn = smt.at(s.nicNext(), c);
            out.add(new Conjunct("EngineOnExpected", Smt.vars(c), smt.implies(smt.ne(e, v.idle()),
                    smt.and(v.outstanding(s, c, nn), smt.eq(v.edesc(e), v.descAt(s, c, nn)), smt.lt(v.moved(e), v.len(v.edesc(e)))))));
        }
        {
            Expr c = smt.fresh("c", v.c);
            out.add(new Conjunct("DoorbellUnmodelled", Smt.vars(c),
                    smt.implies(smt.not(v.modelDoorbell), smt.eq(smt.at(s.doorbell(), c), smt.num(0)))));
        }
        return out;
    }

    @Override
    public Conjunct property(Smt smt, State s) {
        Vocab v = v(smt);
        Expr c = smt.fresh("c", v.c), a = smt.freshInt("a");
        return new Conjunct("InterGuestIsolation", Smt.vars(c, a), smt.implies(v.reach(s, c, a), v.ownedBy(s, a, c)));
    }

    @Override
    public List<Action> actions(Smt smt, State pre, State post) {
        Vocab v = v(smt);
        List<Action> out = new ArrayList<>();
        {
            Expr g = smt.fresh("g", v.g), p = v.newPage("p");
            out.add(new Action("AllocatePage", Smt.vars(g, p), smt.and(
                    smt.eq(smt.at(pre.owner(), p), v.hyp()),
                    smt.eq(post.owner(), smt.except(pre.owner(), p, v.guest(g))),
                    unchanged(smt, pre, post, "ctxOwner", "ring", "prod", "reaped", "nicNext", "doorbell", "engine", "call", "pinBit"))));
        }
        {
            Expr g = smt.fresh("g", v.g), p = v.newPage("p");
            out.add(new Action("FreePage", Smt.vars(g, p), smt.and(
                    smt.eq(smt.at(pre.owner(), p), v.guest(g)),
                    design.pinPages() ? smt.not(v.pinned(pre, p)) : smt.bool(true),
                    smt.eq(post.owner(), smt.except(pre.owner(), p, v.hyp())),
                    unchanged(smt, pre, post, "ctxOwner", "ring", "prod", "reaped", "nicNext", "doorbell", "engine", "call", "pinBit"))));
        }
        {
            Expr g = smt.fresh("g", v.g), h = smt.fresh("h", v.g), p = v.newPage("p");
            out.add(new Action("TransferPage", Smt.vars(g, h, p), smt.and(
                    smt.ne(g, h),
                    smt.eq(smt.at(pre.owner(), p), v.guest(g)),
                    design.pinPages() ? smt.not(v.pinned(pre, p)) : smt.bool(true),
                    smt.eq(post.owner(), smt.except(pre.owner(), p, v.guest(h))),
                    unchanged(smt, pre, post, "ctxOwner", "ring", "prod", "reaped", "nicNext", "doorbell", "engine", "call", "pinBit"))));
        }
        {
            Expr c = smt.fresh("c", v.c), b = smt.fresh("b", v.buf);
            out.add(new Action("PostDescriptor", Smt.vars(c, b), smt.and(
                    smt.not(v.hypercallWindow),
                    v.isBuffer(b),
                    smt.lt(v.inFlight(pre, c), v.ringSize),
                    v.validated(pre, smt.at(pre.ctxOwner(), c), b),
                    writeDescriptor(v, pre, post, c, b),
                    setBits(v, pre, post, b),
                    unchanged(smt, pre, post, "owner", "ctxOwner", "reaped", "nicNext", "doorbell", "engine", "call"))));
        }
        {
            Expr c = smt.fresh("c", v.c), b = smt.fresh("b", v.buf);
            out.add(new Action("ValidateBuffer", Smt.vars(c, b), smt.and(
                    v.hypercallWindow,
                    v.isBuffer(b),
                    smt.eq(smt.at(pre.call(), c), v.noCall()),
                    smt.lt(v.inFlight(pre, c), v.ringSize),
                    v.validated(pre, smt.at(pre.ctxOwner(), c), b),
                    smt.eq(post.call(), smt.except(pre.call(), c, b)),
                    design.pinAtValidation() ? setBits(v, pre, post, b) : smt.eq(post.pinBit(), pre.pinBit()),
                    unchanged(smt, pre, post, "owner", "ctxOwner", "ring", "prod", "reaped", "nicNext", "doorbell", "engine"))));
        }
        {
            Expr c = smt.fresh("c", v.c);
            Expr b = smt.at(pre.call(), c);
            out.add(new Action("PinAndPost", Smt.vars(c), smt.and(
                    smt.ne(b, v.noCall()),
                    writeDescriptor(v, pre, post, c, b),
                    smt.eq(post.call(), smt.except(pre.call(), c, v.noCall())),
                    design.pinAtValidation() ? smt.eq(post.pinBit(), pre.pinBit()) : setBits(v, pre, post, b),
                    unchanged(smt, pre, post, "owner", "ctxOwner", "reaped", "nicNext", "doorbell", "engine"))));
        }
        {
            Expr c = smt.fresh("c", v.c), x = smt.freshInt("s");
            out.add(new Action("RingDoorbell", Smt.vars(c, x), smt.and(
                    v.modelDoorbell,
                    v.isSeq(x),
                    smt.eq(post.doorbell(), smt.except(pre.doorbell(), c, x)),
                    unchanged(smt, pre, post, "owner", "ctxOwner", "ring", "prod", "reaped", "nicNext", "engine", "call", "pinBit"))));
        }
        {
            Expr c = smt.fresh("c", v.c);
            Expr nn = smt.at(pre.nicNext(), c);
            Expr d = v.descAt(pre, c, nn);
            out.add(new Action("NicFetch", Smt.vars(c), smt.and(
                    smt.eq(smt.at(pre.engine(), c), v.idle()),
                    smt.implies(v.modelDoorbell, smt.ne(smt.at(pre.doorbell(), c), nn)),
                    design.sequenceNumbers() ? smt.eq(v.seq(d), nn) : smt.bool(true),
                    smt.iteBool(smt.eq(v.len(d), smt.num(0)),
                            smt.and(smt.eq(post.nicNext(), smt.except(pre.nicNext(), c, v.succ(nn))),
                                    smt.eq(post.engine(), pre.engine())),
                            smt.and(smt.eq(post.engine(), smt.except(pre.engine(), c, smt.apply(v.mkEng, d, smt.num(0)))),
                                    smt.eq(post.nicNext(), pre.nicNext()))),
                    unchanged(smt, pre, post, "owner", "ctxOwner", "ring", "prod", "reaped", "doorbell", "call", "pinBit"))));
        }
        {
            Expr c = smt.fresh("c", v.c);
            Expr e = smt.at(pre.engine(), c), d = v.edesc(e);
            Expr start = smt.add(v.addr(d), v.moved(e));
            Expr pageEnd = smt.apply(v.pageEnd, start), end = smt.add(v.addr(d), v.len(d));
            Expr segment = smt.sub(smt.ite(smt.lt(pageEnd, end), pageEnd, end), start);
            Expr moved = smt.add(v.moved(e), segment);
            out.add(new Action("NicDma", Smt.vars(c), smt.and(
                    smt.ne(e, v.idle()),
                    smt.iteBool(smt.eq(moved, v.len(d)),
                            smt.and(smt.eq(post.engine(), smt.except(pre.engine(), c, v.idle())),
                                    smt.eq(post.nicNext(), smt.except(pre.nicNext(), c, v.succ(smt.at(pre.nicNext(), c))))),
                            smt.and(smt.eq(post.engine(), smt.except(pre.engine(), c, smt.apply(v.mkEng, d, moved))),
                                    smt.eq(post.nicNext(), pre.nicNext()))),
                    unchanged(smt, pre, post, "owner", "ctxOwner", "ring", "prod", "reaped", "doorbell", "call", "pinBit"))));
        }
        {
            Expr c = smt.fresh("c", v.c);
            Expr r = smt.at(pre.reaped(), c);
            out.add(new Action("ReapCompletions", Smt.vars(c), smt.and(
                    smt.gt(v.inFlight(pre, c), smt.num(0)),
                    smt.ne(smt.at(pre.nicNext(), c), r),
                    smt.eq(post.reaped(), smt.except(pre.reaped(), c, v.succ(r))),
                    clearBits(v, pre, post, v.descAt(pre, c, r)),
                    unchanged(smt, pre, post, "owner", "ctxOwner", "ring", "prod", "nicNext", "doorbell", "engine", "call"))));
        }
        return out;
    }

    /** WriteDescriptor(c, b) */
    private BoolExpr writeDescriptor(Vocab v, State pre, State post, Expr c, Expr b) {
        Smt smt = v.smt;
        Expr p = smt.at(pre.prod(), c);
        Expr d = smt.apply(v.mkDesc, v.baddr(b), v.blen(b), design.sequenceNumbers() ? p : smt.num(0));
        return smt.and(
                smt.eq(post.ring(), smt.except(pre.ring(), c, v.slot(p), d)),
                smt.eq(post.prod(), smt.except(pre.prod(), c, v.succ(p))));
    }

    /** pinBit' = SetBits(b) */
    private BoolExpr setBits(Vocab v, State pre, State post, Expr b) {
        Smt smt = v.smt;
        if (design.countPins() || !design.pinPages()) return smt.eq(post.pinBit(), pre.pinBit());
        Expr p = smt.freshInt("p"), a = smt.freshInt("a");
        return smt.defines(post.pinBit(), Smt.vars(p), smt.or(smt.holds(pre.pinBit(), p),
                smt.exists(a, smt.and(v.inBuf(b, a), smt.eq(v.pageOf(a), p)))));
    }

    /** pinBit' = ClearBits(d) */
    private BoolExpr clearBits(Vocab v, State pre, State post, Expr d) {
        Smt smt = v.smt;
        if (design.countPins() || !design.pinPages()) return smt.eq(post.pinBit(), pre.pinBit());
        Expr p = smt.freshInt("p"), a = smt.freshInt("a");
        return smt.defines(post.pinBit(), Smt.vars(p), smt.and(smt.holds(pre.pinBit(), p),
                smt.not(smt.exists(a, smt.and(v.inDesc(d, a), smt.eq(v.pageOf(a), p))))));
    }

    private static BoolExpr unchanged(Smt smt, State pre, State post, String... names) {
        List<BoolExpr> eqs = new ArrayList<>();
        for (String n : names) eqs.add(smt.eq(field(post, n), field(pre, n)));
        return smt.and(eqs.toArray(new BoolExpr[0]));
    }

    private static Expr field(State s, String n) {
        return switch (n) {
            case "owner" -> s.owner();
            case "ctxOwner" -> s.ctxOwner();
            case "ring" -> s.ring();
            case "prod" -> s.prod();
            case "reaped" -> s.reaped();
            case "nicNext" -> s.nicNext();
            case "doorbell" -> s.doorbell();
            case "engine" -> s.engine();
            case "call" -> s.call();
            case "pinBit" -> s.pinBit();
            default -> throw new IllegalArgumentException(n);
        };
    }

    @Override
    public List<String> describe(Smt smt, Model m, State s) {
        Vocab v = v(smt);
        List<String> out = new ArrayList<>();
        int r = intValue(m, v.ringSize);
        out.add("RingSize = " + r + ", SeqMod = " + InductionProver.value(m, v.seqMod) + ", MaxLen = " + InductionProver.value(m, v.maxLen)
                + ", ModelDoorbell = " + InductionProver.value(m, v.modelDoorbell)
                + ", HypercallWindow = " + InductionProver.value(m, v.hypercallWindow));
        Set<Integer> cells = new LinkedHashSet<>();
        for (Expr c : m.getSortUniverse(v.c)) {
            String cn = InductionProver.value(m, c);
            out.add(cn + ": ctxOwner = " + InductionProver.value(m, smt.at(s.ctxOwner(), c))
                    + ", prod = " + InductionProver.value(m, smt.at(s.prod(), c))
                    + ", reaped = " + InductionProver.value(m, smt.at(s.reaped(), c))
                    + ", nicNext = " + InductionProver.value(m, smt.at(s.nicNext(), c))
                    + ", doorbell = " + InductionProver.value(m, smt.at(s.doorbell(), c)));
            for (int i = 0; i < Math.min(r, 8); i++) {
                Expr d = smt.at(s.ring(), c, smt.num(i));
                out.add("  ring[" + cn + "][" + i + "] = " + InductionProver.value(m, d));
                addCells(m, v, v.addr(d), v.len(d), cells);
            }
            Expr e = smt.at(s.engine(), c);
            out.add("  engine[" + cn + "] = " + InductionProver.value(m, e));
            addCells(m, v, v.addr(v.edesc(e)), v.len(v.edesc(e)), cells);
            Expr b = smt.at(s.call(), c);
            out.add("  call[" + cn + "] = " + InductionProver.value(m, b));
            addCells(m, v, v.baddr(b), v.blen(b), cells);
        }
        Set<String> pages = new LinkedHashSet<>();
        List<String> pageOf = new ArrayList<>();
        for (int a : cells) {
            String p = InductionProver.value(m, v.pageOf(smt.num(a)));
            pageOf.add(a + " -> " + p);
            pages.add(p);
        }
        for (Expr p : v.pages) pages.add(InductionProver.value(m, p));
        if (!pageOf.isEmpty()) out.add("PageOf: " + String.join(", ", pageOf));
        for (String p : pages) {
            Expr pe = smt.num(Integer.parseInt(p.replace("-", "").isEmpty() ? "0" : p.startsWith("-") ? "-" + p.substring(1) : p));
            out.add("owner[" + p + "] = " + InductionProver.value(m, smt.at(s.owner(), pe))
                    + (m.eval(smt.holds(s.pinBit(), pe), true).isTrue() ? ", pinBit" : ""));
        }
        return out;
    }

    private static void addCells(Model m, Vocab v, Expr addr, Expr len, Set<Integer> cells) {
        int a = intValue(m, addr), n = intValue(m, len);
        for (int i = 0; i < Math.min(n, 6); i++) cells.add(a + i);
    }

    private static int intValue(Model m, Expr e) {
        String s = InductionProver.value(m, e);
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException ex) {
            return 0;
        }
    }
}
