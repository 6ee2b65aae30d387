package cdna.sim;

import cdna.hypervisor.Phase;
import cdna.memory.HostMemory;
import cdna.nic.Dir;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Watches every DMA access, interrupt and step, and reports violations of the
 * specs' properties by name: InterGuestIsolation and IntraGuestProtection,
 * and ContextOwnership's SingleOwner, NoStaleDma, NoMisdirectedInterrupt,
 * NoInjectedInterrupt and NoLostInterrupt.
 *
 * <ul>
 * <li>Each access is checked byte by byte before it lands: the page must be
 *     owned by the guest of the context (Inter) and the byte must lie in a
 *     buffer that guest has posted (Intra).  A transmit that reads bytes of
 *     another guest's data is reported as a data leak.</li>
 * <li>After each step, the spec's invariants are checked on DeviceReach, so a
 *     violation shows up as soon as the device could make the bad access,
 *     exactly where TLC would report it.</li>
 * <li>Memory is scanned for bytes of one guest's data (a frame received for
 *     it, or what it wrote) in a page someone else owns.</li>
 * <li>Ownership and interrupts, as real events: a DMA access for a descriptor
 *     issued under a previous owner, or after the context's mappings were
 *     removed (NoStaleDma, ACCESS); a virtual interrupt sent to the owner while
 *     the event belongs to a previous one (NoMisdirectedInterrupt, EVENT); an
 *     MSI that reaches a guest other than the context's owner
 *     (NoInjectedInterrupt, EVENT); a register write by a guest that does not
 *     own the context (SingleOwner, EVENT).  After each step ContextOwnership's
 *     invariants are checked too (REACH), and NoLostInterrupt, the liveness
 *     property, as: on a copy of the system, the hypervisor's interrupt path
 *     runs to completion, and then no event may still be owed (LIVENESS).  Only
 *     the interrupt path is fair in the spec, so this is the spec's property:
 *     it fails in some behaviour iff it fails here from some reachable state.</li>
 * </ul>
 * A violation that persists over several steps is reported once, when it starts.
 */
public final class IsolationChecker {
    private static final int KEEP = 200;

    private boolean checkAccesses = true;
    private int reachEvery = 1;
    private int dataEvery = 1;
    private final List<Violation> violations;
    private final TreeMap<String, Long> counts;
    private final Set<String> ongoing;
    private long accesses;

    IsolationChecker() {
        violations = new ArrayList<>();
        counts = new TreeMap<>();
        ongoing = new HashSet<>();
    }

    private IsolationChecker(IsolationChecker o) {
        checkAccesses = o.checkAccesses;
        reachEvery = o.reachEvery;
        dataEvery = o.dataEvery;
        violations = new ArrayList<>(o.violations);
        counts = new TreeMap<>(o.counts);
        ongoing = new HashSet<>(o.ongoing);
        accesses = o.accesses;
    }

    IsolationChecker copy() { return new IsolationChecker(this); }

    /** Check the spec invariants every n steps (0: never), and scan memory for misplaced data every m steps (0: never). */
    public IsolationChecker every(int reachSteps, int dataSteps) {
        this.reachEvery = reachSteps;
        this.dataEvery = dataSteps;
        return this;
    }

    /** Turns all checking off (for cost measurements). */
    public IsolationChecker off() {
        checkAccesses = false;
        return every(0, 0);
    }

    public List<Violation> violations() { return List.copyOf(violations); }

    /** How many violations of each property were seen (including those not kept). */
    public Map<String, Long> counts() { return new TreeMap<>(counts); }

    public long accesses() { return accesses; }

    public boolean violated(String property) { return counts.getOrDefault(property, 0L) > 0; }

    public Violation first() { return violations.isEmpty() ? null : violations.get(0); }

    public Violation first(String property) {
        for (Violation v : violations) if (v.property().equals(property)) return v;
        return null;
    }

    private void report(Violation v) {
        counts.merge(v.property(), 1L, Long::sum);
        if (violations.size() < KEEP) violations.add(v);
    }

    void onAccess(HostSystem s, int c, Dir d, long addr, int len) {
        accesses++;
        if (!checkAccesses) return;
        HostMemory mem = s.memory();
        String g = s.ctxOwner(c);
        String ctx = s.config().contexts().get(c);
        long step = s.stepCount() + 1;
        String what = (d == Dir.RX ? "write" : "read") + " of " + len + " byte(s) at " + addr + " by context " + ctx + " (" + d + ") for guest " + g;
        Map<Integer, BitSet> posted = s.postedPages(c);
        boolean inter = false, intra = false, leak = false;
        for (long a = addr; a < addr + len; a++) {
            int p = mem.pageOf(a);
            int off = (int) (a - mem.pageStart(p));
            if (!inter && !mem.ownerAt(a).equals(g)) {
                inter = true;
                report(new Violation(Violation.INTER, Violation.Kind.ACCESS, step, s.lastAction(), ctx, g, a, p, mem.ownerAt(a),
                        what + ": byte " + a + " is in page " + p + ", owned by " + mem.ownerAt(a) + where(mem, a)));
            }
            BitSet mine = posted.get(p);
            if (!intra && (mine == null || !mine.get(off))) {
                intra = true;
                report(new Violation(Violation.INTRA, Violation.Kind.ACCESS, step, s.lastAction(), ctx, g, a, p, mem.owner(p),
                        what + ": byte " + a + " is in no buffer " + g + " has posted on " + ctx));
            }
            int tag = mem.tag(a);
            if (!leak && d == Dir.TX && tag != 0 && tag != s.guestTag(g)) {
                leak = true;
                report(new Violation(Violation.INTER, Violation.Kind.DATA, step, s.lastAction(), ctx, g, a, p, mem.owner(p),
                        what + ": byte " + a + " holds data of " + s.guestOfTag(tag) + ", now sent on " + g + "'s behalf"));
            }
        }
    }

    /**
     * NoStaleDma at a DMA access, called just before it lands, from what the
     * access is: a context whose mappings and pins are gone touching memory; an
     * untranslated access performing a descriptor issued under a previous owner
     * (the issuer is ghost history, recorded when the slot was written); or a
     * translated one that went through a translation the IOTLB kept when the
     * context changed hands.
     */
    void onStaleAccess(HostSystem s, int c, Dir d, long addr, int len, boolean translated) {
        if (!checkAccesses) return;
        String g = s.ctxOwner(c);
        String ctx = s.config().contexts().get(c);
        String what = (d == Dir.RX ? "write" : "read") + " of " + len + " byte(s) at " + addr + " by context " + ctx + " (" + d + ")";
        Phase ph = s.phase(c);
        String why = null;
        if (ph == Phase.UNMAPPED || ph == Phase.FREE) {
            why = what + " while " + ctx + " is " + ph.specName() + ": its mappings and pins are gone";
        } else if (ph == Phase.ASSIGNED && !translated && !s.engineOwner(c, d).equals(g)) {
            why = what + " performs a descriptor " + s.engineOwner(c, d) + " issued before " + ctx + " was given to " + g;
        } else if (ph == Phase.ASSIGNED && translated && s.engineWriter(c, d) != null && !s.engineWriter(c, d).equals(g)) {
            // A conventional NIC reassigned without a function-level reset: the outgoing guest's descriptor,
            // left in the ring, is performed through the new owner's domain.
            why = what + " performs a descriptor " + s.engineWriter(c, d) + " wrote into the ring before " + ctx + " was given to " + g;
        } else if (translated) {
            HostMemory mem = s.memory();
            Map<Integer, BitSet> stale = s.revokedStalePages(c);
            for (long a = addr; a < addr + len && why == null; a++) {
                int p = mem.pageOf(a);
                BitSet b = stale.get(p);
                if (b != null && b.get((int) (a - mem.pageStart(p)))) {
                    why = what + " for " + g + " goes through a translation of byte " + a + " left in the IOTLB when " + ctx + " changed hands";
                }
            }
        }
        if (why != null) {
            HostMemory mem = s.memory();
            int p = mem.pageOf(addr);
            report(new Violation(Violation.NO_STALE_DMA, Violation.Kind.ACCESS, s.stepCount() + 1, s.lastAction(), ctx, g, addr, p,
                    mem.owner(p), why));
        }
    }

    /** NoMisdirectedInterrupt at delivery: the virtual interrupt for c goes to {@code to}; {@code owed} is owed it (null: nobody). */
    void onVirq(HostSystem s, int c, String to, String owed) {
        if (!checkAccesses || owed == null || owed.equals(to)) return;
        String ctx = s.config().contexts().get(c);
        report(new Violation(Violation.NO_MISDIRECTED_INTERRUPT, Violation.Kind.EVENT, s.stepCount() + 1, s.lastAction(), ctx, to,
                -1, 0, null, "the virtual interrupt for " + ctx + " went to " + to + ", but the event happened while " + owed + " owned " + ctx));
    }

    /** NoInjectedInterrupt at an MSI that got through to guest {@code to}. */
    void onMsi(HostSystem s, int c, String to) {
        String owner = s.ctxOwner(c);
        if (!checkAccesses || to.equals(owner)) return;
        String ctx = s.config().contexts().get(c);
        report(new Violation(Violation.NO_INJECTED_INTERRUPT, Violation.Kind.EVENT, s.stepCount() + 1, s.lastAction(), ctx, owner,
                -1, 0, null, "the device of " + ctx + " (owned by " + owner + ") raised vector " + to + ": " + to + " took an interrupt it never asked for"));
    }

    /** SingleOwner at a register write by guest g, which is not c's owner (called after the step). */
    void onForeignDrive(HostSystem s, int c, String g, String what) {
        if (!checkAccesses) return;
        String ctx = s.config().contexts().get(c);
        report(new Violation(Violation.SINGLE_OWNER, Violation.Kind.EVENT, s.stepCount(), s.lastAction(), ctx, s.ctxOwner(c),
                -1, 0, null, g + " " + what + " of " + ctx + ", which belongs to " + s.ctxOwner(c)));
    }

    void afterStep(HostSystem s) {
        long step = s.stepCount();
        if (reachEvery > 0 && step % reachEvery == 0) {
            s.keepProbes(true);
            try {
                checkReach(s, step);
                checkOwnership(s, step);
                checkLiveness(s, step);
            } finally {
                s.keepProbes(false);
            }
        }
        if (dataEvery > 0 && step % dataEvery == 0) scanData(s, step);
    }

    /** ContextOwnership's invariants, as the spec states them. */
    private void checkOwnership(HostSystem s, long step) {
        int n = s.config().contexts().size();
        var hyp = s.hypervisor();
        BitSet pending = hyp.vector();
        pending.or(hyp.taken());
        for (int c = 0; c < n; c++) {
            String g = s.ctxOwner(c);
            String ctx = s.config().contexts().get(c);
            Phase ph = hyp.phase(c);
            Set<String> holders = hyp.holders(c);
            edge("single-" + c, holders.size() <= 1 ? null : state(Violation.SINGLE_OWNER, step, s, ctx, g,
                    holders + " can all drive " + ctx + " (its owner is " + g + ")"));
            Violation stale = null;
            if ((ph == Phase.UNMAPPED || ph == Phase.FREE) && !s.deviceReachPages(c).isEmpty()) {
                stale = state(Violation.NO_STALE_DMA, step, s, ctx, g, ctx + " is " + ph.specName() + " but the device can still reach "
                        + s.deviceReach(ctx).first() + " for it");
            } else if (ph == Phase.ASSIGNED) {
                Set<String> issuers = new TreeSet<>(s.issuersInReach(c));
                issuers.remove(g);
                if (!issuers.isEmpty()) {
                    stale = state(Violation.NO_STALE_DMA, step, s, ctx, g, "the NIC can still process descriptors " + issuers
                            + " issued on " + ctx + ", which now belongs to " + g);
                }
            }
            edge("stale-" + c, stale);
            String owed = s.owedTo(c);
            edge("misdirected-" + c, pending.get(c) && owed != null && !owed.equals(g)
                    ? state(Violation.NO_MISDIRECTED_INTERRUPT, step, s, ctx, g, "an interrupt of " + ctx + " is pending for " + owed
                    + ", but " + ctx + " belongs to " + g + " now")
                    : null);
            Set<String> raise = new TreeSet<>(s.canRaise(c));
            raise.remove(g);
            edge("injected-" + c, ph == Phase.ASSIGNED && !raise.isEmpty()
                    ? state(Violation.NO_INJECTED_INTERRUPT, step, s, ctx, g, "the device of " + ctx + " (owned by " + g
                    + ") can raise the vectors of " + raise)
                    : null);
        }
    }

    private static Violation state(String property, long step, HostSystem s, String ctx, String g, String detail) {
        return new Violation(property, Violation.Kind.REACH, step, s.lastAction(), ctx, g, -1, 0, null, detail);
    }

    /** NoLostInterrupt: run the interrupt path to completion on a copy; nothing may still be owed. */
    private void checkLiveness(HostSystem s, long step) {
        int n = s.config().contexts().size();
        boolean anyOwed = false;
        for (int c = 0; c < n; c++) anyOwed |= s.owedTo(c) != null;
        HostSystem after = null;
        if (anyOwed) {
            after = s.copy();
            after.checker().off();
            after.runInterruptPath();
        }
        for (int c = 0; c < n; c++) {
            String owed = after == null ? null : after.owedTo(c);
            String ctx = s.config().contexts().get(c);
            edge("lost-" + c, owed == null ? null : new Violation(Violation.NO_LOST_INTERRUPT, Violation.Kind.LIVENESS, step,
                    s.lastAction(), ctx, owed, -1, 0, null, "an event of " + ctx + " raised while " + owed + " owned it is never delivered to "
                    + owed + ": the hypervisor's interrupt path ran to completion and " + owed + " is still owed it"));
        }
    }

    private void checkReach(HostSystem s, long step) {
        HostMemory mem = s.memory();
        int n = s.config().contexts().size();
        for (int c = 0; c < n; c++) {
            String g = s.ctxOwner(c);
            String ctx = s.config().contexts().get(c);
            Map<Integer, BitSet> reach = s.deviceReachPages(c);
            Map<Integer, BitSet> posted = s.postedPages(c);
            Violation inter = null, intra = null;
            for (var e : reach.entrySet()) {
                int p = e.getKey();
                BitSet bytes = e.getValue();
                if (bytes.isEmpty()) continue;
                for (int i = bytes.nextSetBit(0); i >= 0 && inter == null; i = bytes.nextSetBit(i + 1)) {
                    long a = mem.pageStart(p) + i;
                    if (!mem.ownerAt(a).equals(g)) {
                        inter = new Violation(Violation.INTER, Violation.Kind.REACH, step, s.lastAction(), ctx, g, a, p, mem.ownerAt(a),
                                "the device can reach byte " + a + " (page " + p + ", owned by " + mem.ownerAt(a) + where(mem, a) + ") for context " + ctx + " of " + g);
                    }
                }
                BitSet outside = (BitSet) bytes.clone();
                if (posted.containsKey(p)) outside.andNot(posted.get(p));
                if (intra == null && !outside.isEmpty()) {
                    long b = mem.pageStart(p) + outside.nextSetBit(0);
                    intra = new Violation(Violation.INTRA, Violation.Kind.REACH, step, s.lastAction(), ctx, g, b, p, mem.owner(p),
                            "the device can reach byte " + b + " (page " + p + ") for context " + ctx + ", in no buffer " + g + " has posted");
                }
            }
            edge("reach-inter-" + c, inter);
            edge("reach-intra-" + c, intra);
        }
    }

    private void scanData(HostSystem s, long step) {
        HostMemory mem = s.memory();
        for (int p = 1; p <= mem.nPages(); p++) {
            Violation v = null;
            for (long a = mem.pageStart(p); a < mem.pageStart(p) + mem.pageSize() && v == null; a++) {
                int tag = mem.tag(a);
                if (tag != 0 && !mem.ownerAt(a).equals(s.guestOfTag(tag))) {
                    v = new Violation(Violation.INTER, Violation.Kind.DATA, step, s.lastAction(), null, s.guestOfTag(tag), a, p, mem.ownerAt(a),
                            "byte " + a + " holds data of " + s.guestOfTag(tag) + " but it belongs to " + mem.ownerAt(a) + " (page " + p + where(mem, a) + ")");
                }
            }
            edge("data-" + p, v);
        }
    }

    // Says so when a byte lies in the part of a sliced page that is not the page owner's.
    private static String where(HostMemory mem, long a) { return mem.inSlice(a) ? ", in the slice beside the page owner's half" : ""; }

    /** Reports a state-level violation when it starts, not again on every step it lasts. */
    private void edge(String key, Violation v) {
        if (v == null) {
            ongoing.remove(key);
        } else if (ongoing.add(key)) {
            report(v);
        }
    }

    /** Bytes of one guest's data lying in a page it does not own (a full scan; empty when data isolation holds). */
    public static List<String> dataLeaks(HostSystem s) {
        List<String> r = new ArrayList<>();
        HostMemory mem = s.memory();
        for (long a = 0; a < mem.size(); a++) {
            int tag = mem.tag(a);
            int p = mem.pageOf(a);
            if (tag != 0 && !mem.ownerAt(a).equals(s.guestOfTag(tag))) {
                r.add("byte " + a + " (page " + p + where(mem, a) + ", owner " + mem.ownerAt(a) + ") holds data of " + s.guestOfTag(tag));
            }
        }
        return r;
    }
}
