package cdna.guest;

import cdna.hypervisor.Buffer;
import cdna.hypervisor.IoBuffer;
import cdna.memory.HostMemory;
import cdna.nic.Dir;
import cdna.nic.Segment;
import cdna.sim.Action;
import cdna.sim.HostSystem;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A guest that obeys nothing: it posts any buffer (any page, offset, length,
 * including zero, negative and overflowing ones), rings any doorbell value,
 * writes any descriptor into its ring where it can, maps and unmaps anything,
 * names contexts it does not own, keeps driving contexts taken from it when it
 * still has them mapped, makes its device send MSIs for any vector, and frees
 * or transfers pages at any moment.
 * Values are drawn mostly near the interesting boundaries (page edges, the
 * ring's counters) so small runs hit them often.
 */
public final class MaliciousGuest {
    private MaliciousGuest() {}

    static long anyAddr(HostSystem s, SplittableRandom rnd) {
        HostMemory m = s.memory();
        int ps = m.pageSize();
        return switch (rnd.nextInt(12)) {
            case 0 -> -1 - rnd.nextInt(ps);
            case 1 -> m.size() - rnd.nextInt(2);
            case 2 -> Long.MAX_VALUE - rnd.nextInt(2);
            case 3 -> Long.MIN_VALUE;
            default -> {
                int p = 1 + rnd.nextInt(m.nPages());
                // Page edges are where first-page-only validation and sub-page mappings go wrong.
                yield m.pageStart(p) + (rnd.nextBoolean() ? ps - 1 - rnd.nextInt(Math.min(ps, 2)) : rnd.nextInt(ps));
            }
        };
    }

    static long anyLen(HostSystem s, SplittableRandom rnd) {
        long max = s.config().maxLen();
        return switch (rnd.nextInt(10)) {
            case 0 -> 0;
            case 1 -> -rnd.nextInt(3) - 1;
            case 2 -> Long.MAX_VALUE;
            case 3 -> max + 1 + rnd.nextInt(3);
            default -> 1 + rnd.nextLong(max);
        };
    }

    static String anyContext(HostSystem s, String g, SplittableRandom rnd) {
        List<String> mine = new ArrayList<>(HonestDriver.contextsOf(s, g));
        // Contexts taken from g that it still has mapped are as good as its own to it.
        for (int c = 0; c < s.config().contexts().size(); c++) {
            if (s.hypervisor().holds(g, c) && !mine.contains(s.config().contexts().get(c))) mine.add(s.config().contexts().get(c));
        }
        if (!mine.isEmpty() && rnd.nextInt(8) != 0) return mine.get(rnd.nextInt(mine.size()));
        List<String> all = s.config().contexts();
        return rnd.nextInt(10) == 0 ? "c999" : all.get(rnd.nextInt(all.size()));
    }

    public static Action next(HostSystem s, String g, SplittableRandom rnd) {
        HostMemory m = s.memory();
        String c = anyContext(s, g, rnd);
        Dir d = rnd.nextInt(3) == 0 ? Dir.TX : Dir.RX;
        int ci = s.ctx(c);
        List<Integer> mine = m.pagesOwnedBy(g);
        int anyPage = rnd.nextInt(10) == 0 ? rnd.nextInt(m.nPages() + 3) - 1 : 1 + rnd.nextInt(m.nPages());
        int ownPage = mine.isEmpty() ? anyPage : mine.get(rnd.nextInt(mine.size()));
        // With a hypercall checked and not yet written, the page to give away is one of its buffer's: that is the race.
        Buffer racing = ci >= 0 ? s.hypervisor().call(ci, d) : null;
        int givePage = racing != null && m.containsRange(racing.addr(), racing.len()) ? m.pageOf(racing.addr() + racing.len() - 1) : ownPage;
        switch (rnd.nextInt(11)) {
            case 0: {
                int p = HonestDriver.freePage(s, rnd);
                return new Action.AllocatePage(g, p > 0 && rnd.nextInt(4) != 0 ? p : anyPage);
            }
            case 1:
                return new Action.FreePage(g, rnd.nextInt(4) != 0 ? givePage : anyPage);
            case 2: {
                List<String> gs = s.config().guests();
                String h = rnd.nextInt(10) == 0 ? HostMemory.HYP : gs.get(rnd.nextInt(gs.size()));
                return new Action.TransferPage(g, h, rnd.nextInt(4) != 0 ? givePage : anyPage);
            }
            case 3: {
                long v = switch (rnd.nextInt(5)) {
                    case 0 -> rnd.nextLong();
                    case 1 -> -rnd.nextInt(3);
                    default -> ci < 0 ? rnd.nextInt(8) : s.nic().queue(ci, d).nicNext() + rnd.nextInt(-1, s.config().seqMod() + 2);
                };
                return new Action.RingDoorbell(g, c, d, v);
            }
            case 4: {
                List<Segment> segs = new ArrayList<>();
                int n = rnd.nextInt(4);
                for (int i = 0; i < n; i++) segs.add(new Segment(anyAddr(s, rnd), anyLen(s, rnd)));
                // Often the slot the NIC reads next, so a ring after it sends the device straight there.
                int slot = rnd.nextInt(10) == 0 ? rnd.nextInt(-2, s.config().ringSize() + 3)
                        : rnd.nextBoolean() && ci >= 0 ? s.nic().queue(ci, d).nicNext() % s.config().ringSize()
                        : rnd.nextInt(s.config().ringSize());
                return new Action.WriteDescriptor(g, c, d, slot, segs);
            }
            case 5: {
                int ps = m.pageSize();
                int first = rnd.nextInt(3) != 0 ? ownPage : anyPage;
                int second = rnd.nextBoolean() ? first : (rnd.nextBoolean() ? ownPage : anyPage);
                long off = rnd.nextInt(8) == 0 ? rnd.nextInt(-1, ps + 2) : rnd.nextInt(ps);
                return new Action.MapBuffer(g, c, new IoBuffer(first, second, off, anyLen(s, rnd)));
            }
            case 6: {
                if (ci >= 0 && !s.hypervisor().posted(ci).isEmpty()) {
                    List<IoBuffer> p = s.hypervisor().posted(ci);
                    return new Action.UnmapBuffer(g, c, p.get(rnd.nextInt(p.size())));
                }
                return new Action.UnmapBuffer(g, c, new IoBuffer(ownPage, ownPage, 0, 1));
            }
            case 7:
                return new Action.GuestWrite(g, anyAddr(s, rnd), 1 + rnd.nextInt(Math.max(1, m.pageSize())));
            case 8: {
                // An MSI is a DMA write to the interrupt range: any vector, another guest's above all.
                List<String> gs = s.config().guests();
                return new Action.SendMsi(g, c, rnd.nextInt(10) == 0 ? "g999" : gs.get(rnd.nextInt(gs.size())));
            }
            default: {
                // A hypercall checked and not yet written is finished first; its window is what the other steps race.
                if (ci >= 0 && s.hypervisor().call(ci, d) != null) return new Action.PinAndPost(g, c, d);
                long addr = rnd.nextInt(3) != 0 ? m.pageStart(ownPage) + rnd.nextInt(m.pageSize()) : anyAddr(s, rnd);
                long len = anyLen(s, rnd);
                return rnd.nextInt(4) == 0 ? new Action.ValidateBuffer(g, c, d, addr, len) : new Action.PostDescriptor(g, c, d, addr, len);
            }
        }
    }
}
