package cdna.guest;

import cdna.design.Design;
import cdna.hypervisor.IoBuffer;
import cdna.memory.HostMemory;
import cdna.nic.Descriptor;
import cdna.nic.DescriptorQueue;
import cdna.nic.Dir;
import cdna.nic.Segment;
import cdna.sim.Action;
import cdna.sim.HostSystem;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A well-behaved guest driver.  It keeps no state of its own: each step is
 * derived from what the guest can see (its pages, its rings, the hypervisor's
 * read-only producer index), so a snapshot of the system is a snapshot of the
 * driver too.  It posts buffers only in pages it owns, rings the doorbell with
 * the true producer index, returns pages only when no buffer of its own lies
 * in them, and under IOMMU protection unmaps a buffer only once the NIC is
 * done with it.
 */
public final class HonestDriver {
    private HonestDriver() {}

    /** The contexts guest g owns. */
    static List<String> contextsOf(HostSystem s, String g) {
        List<String> r = new ArrayList<>();
        for (int c = 0; c < s.config().contexts().size(); c++) if (s.ctxOwner(c).equals(g)) r.add(s.config().contexts().get(c));
        return r;
    }

    static int freePage(HostSystem s, SplittableRandom rnd) {
        HostMemory m = s.memory();
        List<Integer> free = m.pagesOwnedBy(HostMemory.HYP);
        return free.isEmpty() ? -1 : free.get(rnd.nextInt(free.size()));
    }

    /** Pages any of g's posted buffers touch. */
    static boolean inUse(HostSystem s, String g, int p) {
        for (String c : contextsOf(s, g)) if (s.postedPages(s.ctx(c)).containsKey(p)) return true;
        return false;
    }

    public static Action next(HostSystem s, String g, SplittableRandom rnd) {
        HostMemory m = s.memory();
        List<Integer> mine = m.pagesOwnedBy(g);
        List<String> ctxs = contextsOf(s, g);
        int r = rnd.nextInt(100);
        if (mine.size() < 2 || r < 8) {
            int p = freePage(s, rnd);
            if (p > 0) return new Action.AllocatePage(g, p);
        }
        if (r < 14 && !mine.isEmpty()) {
            int p = mine.get(rnd.nextInt(mine.size()));
            if (!inUse(s, g, p)) {
                List<String> others = new ArrayList<>(s.config().guests());
                others.remove(g);
                if (rnd.nextBoolean() || others.isEmpty()) return new Action.FreePage(g, p);
                return new Action.TransferPage(g, others.get(rnd.nextInt(others.size())), p);
            }
        }
        // A context being taken away takes no new work.
        ctxs.removeIf(x -> s.phase(s.ctx(x)) != cdna.hypervisor.Phase.ASSIGNED);
        if (ctxs.isEmpty() || mine.isEmpty()) return null;
        String c = ctxs.get(rnd.nextInt(ctxs.size()));
        Dir d = rnd.nextInt(4) == 0 ? Dir.TX : Dir.RX;
        int ci = s.ctx(c);
        DescriptorQueue q = s.nic().queue(ci, d);
        int ps = s.config().pageSize();
        int p = mine.get(rnd.nextInt(mine.size()));
        long maxLen = s.config().maxLen();
        boolean nextMine = m.isPage(p + 1) && m.owner(p + 1).equals(g);
        long room = nextMine ? 2L * ps : ps;
        long off = rnd.nextInt(ps);
        long len = 1 + rnd.nextLong(Math.max(1, Math.min(maxLen, room - off)));
        long addr = m.pageStart(p) + off;
        if (s.design().protection() == Design.Protection.SOFTWARE) {
            if (d == Dir.TX && rnd.nextInt(3) == 0) return new Action.GuestWrite(g, addr, (int) Math.min(len, ps - off));
            int k = rnd.nextInt(3);
            if (k == 0 && s.hypervisor().inFlight(ci, d) < s.config().ringSize()) {
                return new Action.PostDescriptor(g, c, d, addr, len);
            }
            if (k == 1) return new Action.RingDoorbell(g, c, d, s.hypervisor().prod(ci, d));
            return new Action.ReapCompletions(c, d);
        }
        // IOMMU: map, write the slot, ring; unmap what the NIC has finished with.
        List<IoBuffer> posted = s.hypervisor().posted(ci);
        int pending = Math.floorMod(q.doorbell() - q.nicNext(), s.config().seqMod());
        int k = rnd.nextInt(3);
        if (k == 0 && posted.size() < s.config().ringSize()) {
            int second = off + len > ps ? p + 1 : p;
            return new Action.MapBuffer(g, c, new IoBuffer(p, second, off, len));
        }
        if (k == 1 && pending == 0 && q.engine().idle()) {
            int slot = q.doorbell() % s.config().ringSize();
            for (IoBuffer b : posted) {
                if (busy(s, ci, b)) continue;
                // Ring only once the slot holds a buffer that is mapped right now.
                if (q.slot(slot).segments().equals(b.segments(ps))) return new Action.RingDoorbell(g, c, d, q.doorbell() + 1);
                return new Action.WriteDescriptor(g, c, d, slot, b.segments(ps));
            }
        }
        // Unmap what the NIC has consumed; a buffer never written is unmapped only to make room.
        for (IoBuffer b : posted) {
            if (!busy(s, ci, b) && (posted.size() == s.config().ringSize() || written(s, ci, b))) return new Action.UnmapBuffer(g, c, b);
        }
        return null;
    }

    /** Whether some ring slot of context ci names buffer b (together with !busy: the NIC is done with it). */
    static boolean written(HostSystem s, int ci, IoBuffer b) {
        List<Segment> segs = b.segments(s.config().pageSize());
        for (Dir d : Dir.values()) {
            for (int i = 0; i < s.config().ringSize(); i++) if (s.nic().queue(ci, d).slot(i).segments().equals(segs)) return true;
        }
        return false;
    }

    /** Whether the NIC may still use buffer b on some ring of context ci: in a pending slot or in an engine. */
    static boolean busy(HostSystem s, int ci, IoBuffer b) {
        List<Segment> segs = b.segments(s.config().pageSize());
        for (Dir d : Dir.values()) {
            DescriptorQueue q = s.nic().queue(ci, d);
            if (!q.engine().idle() && q.engine().desc().segments().equals(segs)) return true;
            int pending = Math.floorMod(q.doorbell() - q.nicNext(), s.config().seqMod());
            for (int i = 0; i < Math.min(pending, s.config().ringSize()); i++) {
                Descriptor desc = q.slot((q.nicNext() + i) % s.config().ringSize());
                if (desc.segments().equals(segs)) return true;
            }
        }
        return false;
    }
}
