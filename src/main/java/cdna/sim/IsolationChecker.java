package cdna.sim;

import cdna.memory.HostMemory;
import cdna.nic.Dir;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Watches every DMA access and every step, and reports InterGuestIsolation and
 * IntraGuestProtection violations by name.
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
            if (!inter && !mem.owner(p).equals(g)) {
                inter = true;
                report(new Violation(Violation.INTER, Violation.Kind.ACCESS, step, s.lastAction(), ctx, g, a, p, mem.owner(p),
                        what + ": byte " + a + " is in page " + p + ", owned by " + mem.owner(p)));
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

    void afterStep(HostSystem s) {
        long step = s.stepCount();
        if (reachEvery > 0 && step % reachEvery == 0) checkReach(s, step);
        if (dataEvery > 0 && step % dataEvery == 0) scanData(s, step);
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
                long a = mem.pageStart(p) + bytes.nextSetBit(0);
                if (inter == null && !mem.owner(p).equals(g)) {
                    inter = new Violation(Violation.INTER, Violation.Kind.REACH, step, s.lastAction(), ctx, g, a, p, mem.owner(p),
                            "the device can reach byte " + a + " (page " + p + ", owned by " + mem.owner(p) + ") for context " + ctx + " of " + g);
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
                if (tag != 0 && !mem.owner(p).equals(s.guestOfTag(tag))) {
                    v = new Violation(Violation.INTER, Violation.Kind.DATA, step, s.lastAction(), null, s.guestOfTag(tag), a, p, mem.owner(p),
                            "byte " + a + " holds data of " + s.guestOfTag(tag) + " but page " + p + " belongs to " + mem.owner(p));
                }
            }
            edge("data-" + p, v);
        }
    }

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
            if (tag != 0 && !mem.owner(p).equals(s.guestOfTag(tag))) {
                r.add("byte " + a + " (page " + p + ", owner " + mem.owner(p) + ") holds data of " + s.guestOfTag(tag));
            }
        }
        return r;
    }
}
