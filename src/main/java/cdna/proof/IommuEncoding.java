package cdna.proof;

import cdna.design.Design;
import com.microsoft.z3.BoolExpr;
import com.microsoft.z3.Constructor;
import com.microsoft.z3.DatatypeSort;
import com.microsoft.z3.Expr;
import com.microsoft.z3.FuncDecl;
import com.microsoft.z3.Model;
import com.microsoft.z3.Sort;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * specs/IommuProtection.tla with the single-use strategy, for any number of
 * guests, contexts and pages, any page size, any buffer length, any set of
 * sliced pages and any ring size.
 *
 * <p>Where it over-approximates the spec (each makes the encoding admit more
 * steps, never fewer, so a proof here is a proof of the spec):
 * <ul>
 *   <li>MapBuffer's ring bound {@code Cardinality(posted[c]) < RingSize} is
 *       dropped: isolation does not depend on how many buffers are mapped.</li>
 *   <li>Deferred invalidation's batch count is not tracked: where the spec
 *       flushes because the batch is full, or does not because it is not, the
 *       encoding may do either (the flush before reuse is kept exact).</li>
 *   <li>FlushIotlb's guard (some IOTLB not empty) is dropped: flushing an
 *       empty IOTLB changes nothing the invariant reads.</li>
 * </ul>
 * The IOTLB is indexed by every domain value, not only the contexts'
 * domains: the extra entries are never read by a context.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
public final class IommuEncoding implements Encoding<IommuEncoding.State> {

    /** One value per VARIABLE of IommuProtection. */
    public record State(Expr owner, Expr ctxOwner, Expr posted, Expr persist, Expr iotlb, Expr unflushed) {}

    private final Design design;
    private Vocab v;

    public IommuEncoding(Design design) {
        if (design.iommuStrategy() != Design.IommuStrategy.SINGLE_USE) {
            throw new IllegalArgumentException(design.name() + ": the all-sizes proof covers the single-use strategy only ("
                    + design.iommuStrategy().spec() + " is checked by TLC at its bounds)");
        }
        this.design = design;
    }

    @Override public String design() { return design.name(); }
    @Override public String spec() { return "specs/IommuProtection.tla"; }

    /** The sorts, datatypes and constants, made once per solver context. */
    private final class Vocab {
        final Smt smt;
        final Sort g, c, p;
        final DatatypeSort owner, dom, cell, buf;
        final FuncDecl hyp, guest, guestOf, shared, rid, mkCell, cellPage, cellOff, mkBuf, first, second, off, len;
        final Expr pageSize, maxLen, sliced, sliceOwner;
        final List<Expr> bufs = new ArrayList<>(), cells = new ArrayList<>();

        Vocab(Smt smt) {
            this.smt = smt;
            var z = smt.z;
            g = smt.sort("G");
            c = smt.sort("C");
            p = smt.sort("P");
            owner = z.mkDatatypeSort("Owner", new Constructor[]{
                    z.mkConstructor("Hyp", "isHyp", null, null, null),
                    z.mkConstructor("Guest", "isGuest", new String[]{"guest"}, new Sort[]{g}, null)});
            hyp = owner.getConstructors()[0];
            guest = owner.getConstructors()[1];
            guestOf = owner.getAccessors()[1][0];
            dom = z.mkDatatypeSort("Domain", new Constructor[]{
                    z.mkConstructor("SharedRid", "isShared", null, null, null),
                    z.mkConstructor("Rid", "isRid", new String[]{"ctx"}, new Sort[]{c}, null)});
            shared = dom.getConstructors()[0];
            rid = dom.getConstructors()[1];
            cell = z.mkDatatypeSort("Cell", new Constructor[]{
                    z.mkConstructor("cell", "isCell", new String[]{"page", "off"}, new Sort[]{p, smt.intSort()}, null)});
            mkCell = cell.getConstructors()[0];
            cellPage = cell.getAccessors()[0][0];
            cellOff = cell.getAccessors()[0][1];
            buf = z.mkDatatypeSort("Buffer", new Constructor[]{
                    z.mkConstructor("buffer", "isBuffer", new String[]{"first", "second", "off", "len"},
                            new Sort[]{p, p, smt.intSort(), smt.intSort()}, null)});
            mkBuf = buf.getConstructors()[0];
            first = buf.getAccessors()[0][0];
            second = buf.getAccessors()[0][1];
            off = buf.getAccessors()[0][2];
            len = buf.getAccessors()[0][3];
            pageSize = smt.constant("PageSize", smt.intSort());
            maxLen = smt.constant("MaxLen", smt.intSort());
            sliced = smt.constant("SlicedPages", smt.array(p, smt.boolSort()));
            sliceOwner = smt.constant("SliceOwner", owner);
        }

        Expr hyp() { return smt.apply(hyp); }
        Expr guest(Expr x) { return smt.apply(guest, x); }
        Expr page(Expr a) { return smt.apply(cellPage, a); }
        Expr off(Expr a) { return smt.apply(cellOff, a); }
        Expr bfirst(Expr b) { return smt.apply(first, b); }
        Expr bsecond(Expr b) { return smt.apply(second, b); }
        Expr boff(Expr b) { return smt.apply(off, b); }
        Expr blen(Expr b) { return smt.apply(len, b); }

        Expr newBuf(String name) { Expr b = smt.fresh(name, buf); bufs.add(b); return b; }
        Expr newCell(String name) { Expr a = smt.fresh(name, cell); cells.add(a); return a; }

        BoolExpr isCell(Expr a) { return smt.within(smt.num(0), off(a), pageSize); }

        /** b \in Buffers */
        BoolExpr isBuffer(Expr b) {
            Expr end = smt.add(boff(b), blen(b));
            return smt.and(smt.within(smt.num(0), boff(b), pageSize), smt.ge(blen(b), 1), smt.le(blen(b), maxLen),
                    smt.iteBool(smt.eq(bfirst(b), bsecond(b)), smt.le(end, pageSize),
                            smt.and(smt.gt(end, pageSize), smt.le(end, smt.add(pageSize, pageSize)))));
        }

        /** a \in CellsOf(b) */
        BoolExpr inCells(Expr b, Expr a) {
            Expr end = smt.add(boff(b), blen(b));
            return smt.iteBool(smt.eq(bfirst(b), bsecond(b)),
                    smt.and(smt.eq(page(a), bfirst(b)), smt.le(boff(b), off(a)), smt.lt(off(a), end)),
                    smt.or(smt.and(smt.eq(page(a), bfirst(b)), smt.le(boff(b), off(a)), smt.lt(off(a), pageSize)),
                           smt.and(smt.eq(page(a), bsecond(b)), smt.ge(off(a), 0), smt.lt(off(a), smt.sub(end, pageSize)))));
        }

        /** p \in PagesOf(b) */
        BoolExpr onPage(Expr b, Expr pg) { return smt.or(smt.eq(bfirst(b), pg), smt.eq(bsecond(b), pg)); }

        /** CellOwner(a) */
        Expr cellOwner(State s, Expr a) {
            return smt.ite(smt.and(smt.holds(sliced, page(a)), smt.ge(off(a), smt.z.mkDiv((com.microsoft.z3.ArithExpr) pageSize, smt.num(2)))),
                    sliceOwner, smt.at(s.owner(), page(a)));
        }

        /** Dom(c) */
        Expr dom(Expr ctx) { return design.requesterIdPerContext() ? smt.apply(rid, ctx) : smt.apply(shared); }

        /** a \in MapOf(b) */
        BoolExpr inMap(Expr b, Expr a) {
            return design.subPageBounce() ? inCells(b, a) : smt.and(isCell(a), onPage(b, page(a)));
        }

        /** a \in PageTable(d), single-use: the maps of the buffers posted on d's contexts. */
        BoolExpr inPageTable(State s, Expr d, Expr a) {
            Expr x = smt.fresh("c", c), b = smt.fresh("b", buf);
            return smt.exists(Smt.vars(x, b), smt.and(smt.eq(dom(x), d), smt.holds(s.posted(), x, b), inMap(b, a)));
        }

        /** a \in DeviceReach(c) */
        BoolExpr reach(State s, Expr ctx, Expr a) {
            return smt.or(inPageTable(s, dom(ctx), a), smt.holds(s.iotlb(), dom(ctx), a));
        }

        BoolExpr ownedBy(State s, Expr a, Expr ctx) { return smt.eq(cellOwner(s, a), guest(smt.at(s.ctxOwner(), ctx))); }
    }

    private Vocab v(Smt smt) {
        if (v == null || v.smt != smt) v = new Vocab(smt);
        return v;
    }

    @Override
    public State state(Smt smt, String tag) {
        Vocab v = v(smt);
        Sort cells = smt.array(v.cell, smt.boolSort());
        return new State(
                smt.constant("owner_" + tag, smt.array(v.p, v.owner)),
                smt.constant("ctxOwner_" + tag, smt.array(v.c, v.g)),
                smt.constant("posted_" + tag, smt.array(v.c, smt.array(v.buf, smt.boolSort()))),
                smt.constant("persist_" + tag, smt.array(v.dom, cells)),
                smt.constant("iotlb_" + tag, smt.array(v.dom, cells)),
                smt.constant("unflushed_" + tag, smt.intSort()));
    }

    @Override
    public BoolExpr background(Smt smt) {
        Vocab v = v(smt);
        // ASSUME PageSize >= 2; buffers are at least a byte long
        return smt.and(smt.ge(v.pageSize, 2), smt.ge(v.maxLen, 1));
    }

    @Override
    public List<Lemma> lemmas(Smt smt) { return List.of(); }

    @Override
    public BoolExpr init(Smt smt, State s) {
        Vocab v = v(smt);
        Expr empty = smt.constArray(v.cell, smt.bool(false));
        return smt.and(
                smt.eq(s.owner(), smt.constArray(v.p, v.hyp())),
                smt.eq(s.posted(), smt.constArray(v.c, smt.constArray(v.buf, smt.bool(false)))),
                smt.eq(s.persist(), smt.constArray(v.dom, empty)),
                smt.eq(s.iotlb(), smt.constArray(v.dom, empty)),
                smt.eq(s.unflushed(), smt.num(0)));
    }

    @Override
    public List<Conjunct> invariant(Smt smt, State s) {
        Vocab v = v(smt);
        Expr c1 = smt.fresh("c", v.c), b1 = v.newBuf("b");
        Expr c2 = smt.fresh("c", v.c), b2 = v.newBuf("b"), a2 = v.newCell("a");
        Expr c3 = smt.fresh("c", v.c), a3 = v.newCell("a");
        Expr c4 = smt.fresh("c", v.c), a4 = v.newCell("a");
        return List.of(
                new Conjunct("UnflushedNat", new Expr[0], smt.ge(s.unflushed(), 0)),
                new Conjunct("PostedAreBuffers", Smt.vars(c1, b1), smt.implies(smt.holds(s.posted(), c1, b1), v.isBuffer(b1))),
                // every byte of a posted buffer belongs to the context's guest
                new Conjunct("PostedOwned", Smt.vars(c2, b2, a2),
                        smt.implies(smt.and(smt.holds(s.posted(), c2, b2), v.inCells(b2, a2)), v.ownedBy(s, a2, c2))),
                // every cell a context's domain maps belongs to the context's guest
                new Conjunct("MappedOwned", Smt.vars(c3, a3),
                        smt.implies(v.inPageTable(s, v.dom(c3), a3), v.ownedBy(s, a3, c3))),
                // every translation left in a context's IOTLB is of a cell its guest still owns
                new Conjunct("IotlbOwned", Smt.vars(c4, a4),
                        smt.implies(smt.holds(s.iotlb(), v.dom(c4), a4), v.ownedBy(s, a4, c4))));
    }

    @Override
    public Conjunct property(Smt smt, State s) {
        Vocab v = v(smt);
        Expr c = smt.fresh("c", v.c), a = v.newCell("a");
        return new Conjunct("InterGuestIsolation", Smt.vars(c, a), smt.implies(v.reach(s, c, a), v.ownedBy(s, a, c)));
    }

    @Override
    public List<Action> actions(Smt smt, State pre, State post) {
        Vocab v = v(smt);
        List<Action> out = new ArrayList<>();
        {
            Expr g = smt.fresh("g", v.g), p = smt.fresh("p", v.p);
            out.add(new Action("AllocatePage", Smt.vars(g, p), smt.and(
                    smt.eq(smt.at(pre.owner(), p), v.hyp()),
                    smt.eq(post.owner(), smt.except(pre.owner(), p, v.guest(g))),
                    unchanged(smt, pre, post, "ctxOwner", "posted", "persist", "unflushed"),
                    dropMapped(v, pre, post))));
        }
        {
            Expr g = smt.fresh("g", v.g), p = smt.fresh("p", v.p);
            out.add(new Action("FreePage", Smt.vars(g, p), reclaim(v, pre, post, g, p, v.hyp())));
        }
        {
            Expr g = smt.fresh("g", v.g), h = smt.fresh("h", v.g), p = smt.fresh("p", v.p);
            out.add(new Action("TransferPage", Smt.vars(g, h, p), smt.and(smt.ne(g, h), reclaim(v, pre, post, g, p, v.guest(h)))));
        }
        {
            Expr c = smt.fresh("c", v.c), b = v.newBuf("b"), a = v.newCell("a");
            out.add(new Action("MapBuffer", Smt.vars(c, b), smt.and(
                    v.isBuffer(b),
                    smt.not(smt.holds(pre.posted(), c, b)),
                    smt.forall(a, smt.implies(v.inCells(b, a), v.ownedBy(pre, a, c))),
                    smt.eq(post.posted(), smt.except(pre.posted(), c, b, smt.bool(true))),
                    unchanged(smt, pre, post, "owner", "ctxOwner", "persist", "unflushed"),
                    dropMapped(v, pre, post))));
        }
        {
            Expr c = smt.fresh("c", v.c), b = v.newBuf("b");
            out.add(new Action("UnmapBuffer", Smt.vars(c, b), smt.and(
                    v.isBuffer(b),
                    smt.holds(pre.posted(), c, b),
                    smt.eq(post.posted(), smt.except(pre.posted(), c, b, smt.bool(false))),
                    // single-use: the persistent strategy's persist is not touched
                    unchanged(smt, pre, post, "persist", "owner", "ctxOwner"),
                    invalidate(v, pre, post, false))));
        }
        out.add(new Action("FlushIotlb", new Expr[0], smt.and(
                smt.eq(post.iotlb(), smt.constArray(v.dom, smt.constArray(v.cell, smt.bool(false)))),
                smt.eq(post.unflushed(), smt.num(0)),
                unchanged(smt, pre, post, "owner", "ctxOwner", "posted", "persist"))));
        return out;
    }

    /** iotlb' = [d \in Domains |-> iotlb[d] \ PageTable(d)'] */
    private BoolExpr dropMapped(Vocab v, State pre, State post) {
        Smt smt = v.smt;
        Expr d = smt.fresh("d", v.dom), a = smt.fresh("a", v.cell);
        return smt.defines(post.iotlb(), Smt.vars(d, a), smt.and(smt.holds(pre.iotlb(), d, a), smt.not(v.inPageTable(post, d, a))));
    }

    /** Reclaim(g, p, newOwner) */
    private BoolExpr reclaim(Vocab v, State pre, State post, Expr g, Expr p, Expr newOwner) {
        Smt smt = v.smt;
        Expr c = smt.fresh("c", v.c), b = smt.fresh("b", v.buf), d = smt.fresh("d", v.dom), a = smt.fresh("a", v.cell);
        return smt.and(
                smt.eq(smt.at(pre.owner(), p), v.guest(g)),
                smt.eq(post.owner(), smt.except(pre.owner(), p, newOwner)),
                smt.defines(post.posted(), Smt.vars(c, b),
                        smt.and(smt.holds(pre.posted(), c, b),
                                smt.or(smt.ne(smt.at(pre.ctxOwner(), c), g), smt.not(v.onPage(b, p))))),
                smt.defines(post.persist(), Smt.vars(d, a), smt.and(smt.holds(pre.persist(), d, a), smt.ne(v.page(a), p))),
                unchanged(smt, pre, post, "ctxOwner"),
                invalidate(v, pre, post, true));
    }

    /** Invalidate(ownerChanged), with deferred invalidation's batch left free (see the class comment). */
    private BoolExpr invalidate(Vocab v, State pre, State post, boolean ownerChanged) {
        Smt smt = v.smt;
        BoolExpr batchFull = (BoolExpr) smt.fresh("batchFull", smt.boolSort());
        boolean strict = design.invalidation() == Design.Invalidation.STRICT;
        BoolExpr flush = strict || (ownerChanged && design.flushBeforeReuse()) ? smt.bool(true) : batchFull;
        Expr d = smt.fresh("d", v.dom), a = smt.fresh("a", v.cell);
        BoolExpr removed = smt.and(v.inPageTable(pre, d, a), smt.not(v.inPageTable(post, d, a)));
        return smt.iteBool(flush,
                smt.and(smt.eq(post.iotlb(), smt.constArray(v.dom, smt.constArray(v.cell, smt.bool(false)))),
                        smt.eq(post.unflushed(), smt.num(0))),
                smt.and(smt.defines(post.iotlb(), Smt.vars(d, a),
                                smt.and(smt.or(smt.holds(pre.iotlb(), d, a), removed), smt.not(v.inPageTable(post, d, a)))),
                        smt.ge(post.unflushed(), pre.unflushed())));
    }

    private static BoolExpr unchanged(Smt smt, State pre, State post, String... names) {
        List<BoolExpr> eqs = new ArrayList<>();
        for (String n : names) {
            eqs.add(switch (n) {
                case "owner" -> smt.eq(post.owner(), pre.owner());
                case "ctxOwner" -> smt.eq(post.ctxOwner(), pre.ctxOwner());
                case "posted" -> smt.eq(post.posted(), pre.posted());
                case "persist" -> smt.eq(post.persist(), pre.persist());
                case "iotlb" -> smt.eq(post.iotlb(), pre.iotlb());
                case "unflushed" -> smt.eq(post.unflushed(), pre.unflushed());
                default -> throw new IllegalArgumentException(n);
            });
        }
        return smt.and(eqs.toArray(new BoolExpr[0]));
    }

    @Override
    public List<String> describe(Smt smt, Model m, State s) {
        Vocab v = v(smt);
        List<String> out = new ArrayList<>();
        out.add("PageSize = " + InductionProver.value(m, v.pageSize) + ", MaxLen = " + InductionProver.value(m, v.maxLen)
                + ", SliceOwner = " + InductionProver.value(m, v.sliceOwner));
        for (Expr p : m.getSortUniverse(v.p)) {
            out.add("owner[" + InductionProver.value(m, p) + "] = " + InductionProver.value(m, smt.at(s.owner(), p))
                    + (m.eval(smt.holds(v.sliced, p), true).isTrue() ? " (sliced)" : ""));
        }
        Expr[] ctxs = m.getSortUniverse(v.c);
        for (Expr c : ctxs) out.add("ctxOwner[" + InductionProver.value(m, c) + "] = " + InductionProver.value(m, smt.at(s.ctxOwner(), c)));
        // the buffers and cells the counterexample names (actions' arguments, witnesses)
        Set<String> seen = new LinkedHashSet<>();
        for (Expr b : v.bufs) {
            String bs = bufString(v, m, b);
            if (!seen.add(bs)) continue;
            for (Expr c : ctxs) {
                if (m.eval(smt.holds(s.posted(), c, b), true).isTrue()) out.add(bs + " \\in posted[" + InductionProver.value(m, c) + "]");
            }
        }
        seen.clear();
        for (Expr a : v.cells) {
            String as = "[page |-> " + InductionProver.value(m, v.page(a)) + ", off |-> " + InductionProver.value(m, v.off(a)) + "]";
            if (!seen.add(as)) continue;
            for (Expr c : ctxs) {
                if (m.eval(smt.holds(s.iotlb(), v.dom(c), a), true).isTrue())
                    out.add(as + " \\in iotlb[Dom(" + InductionProver.value(m, c) + ")]");
            }
        }
        out.add("unflushed = " + InductionProver.value(m, s.unflushed()));
        return out;
    }

    private static String bufString(Vocab v, Model m, Expr b) {
        return "[first |-> " + InductionProver.value(m, v.bfirst(b)) + ", second |-> " + InductionProver.value(m, v.bsecond(b))
                + ", off |-> " + InductionProver.value(m, v.boff(b)) + ", len |-> " + InductionProver.value(m, v.blen(b)) + "]";
    }
}
