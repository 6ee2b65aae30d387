package cdna.guest;

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
 * Decodes fuzz bytes into steps by honest and malicious guests, the NIC, the
 * hypervisor and the network, applying each as it is decoded (a choice such as
 * "which posted buffer" depends on the state so far).  Every byte string is a
 * valid run; running out of bytes ends it.  Parameter bytes cover the valid
 * range with a margin of invalid values (unknown pages and contexts, zero,
 * negative and overflowing lengths) so the fuzzer reaches both.
 *
 * <p>With ownership steps on, five more operations let the bytes revoke and
 * reassign contexts, raise and deliver interrupts, and send MSIs.  They are
 * a separate mode, not new codes in the old range, so the inputs saved
 * before they existed still decode to the same runs.
 */
public final class FuzzDriver {
    private final byte[] data;
    private final boolean ownership;
    private int pos;

    private FuzzDriver(byte[] data, boolean ownership) {
        this.data = data;
        this.ownership = ownership;
    }

    /** Runs the steps the bytes describe; returns those that were enabled, in order. */
    public static List<Action> run(HostSystem s, byte[] data) { return run(s, data, false); }

    /** As {@link #run(HostSystem, byte[])}, with or without the ownership and interrupt steps. */
    public static List<Action> run(HostSystem s, byte[] data, boolean ownership) {
        FuzzDriver f = new FuzzDriver(data, ownership);
        List<Action> applied = new ArrayList<>();
        while (f.pos < data.length) {
            Action a = f.decode(s);
            if (a != null && a.apply(s)) applied.add(a);
        }
        return applied;
    }

    private int u8() { return pos < data.length ? data[pos++] & 0xff : 0; }

    private String guest(HostSystem s) {
        List<String> g = s.config().guests();
        return g.get(u8() % g.size());
    }

    private int page(HostSystem s) { return u8() % (s.config().nPages() + 2); }

    private String context(HostSystem s) {
        List<String> c = s.config().contexts();
        int i = u8() % (c.size() + 1);
        return i < c.size() ? c.get(i) : "c999";
    }

    private Dir dir() { return (u8() & 1) == 0 ? Dir.RX : Dir.TX; }

    private long addr(HostSystem s) {
        int b = u8();
        long size = s.memory().size();
        return switch (b) {
            case 255 -> Long.MAX_VALUE;
            case 254 -> -1;
            case 253 -> Long.MIN_VALUE;
            default -> b % (size + 2);
        };
    }

    private long len(HostSystem s) {
        int b = u8();
        return switch (b) {
            case 255 -> Long.MAX_VALUE;
            case 254 -> -1;
            case 253 -> 0;
            default -> 1 + b % (s.config().maxLen() + 1);
        };
    }

    private Action decode(HostSystem s) {
        int op = u8() % (ownership ? 21 : 16);
        switch (op) {
            case 0: return new Action.AllocatePage(guest(s), page(s));
            case 1: return new Action.FreePage(guest(s), page(s));
            case 2: {
                String g = guest(s);
                int h = u8();
                String to = h % 8 == 7 ? HostMemory.HYP : s.config().guests().get(h % s.config().guests().size());
                return new Action.TransferPage(g, to, page(s));
            }
            case 3: return new Action.PostDescriptor(guest(s), context(s), dir(), addr(s), len(s));
            case 4: {
                String g = guest(s), c = context(s);
                Dir d = dir();
                int b = u8();
                long v = b == 255 ? Long.MIN_VALUE : b - 8;
                return new Action.RingDoorbell(g, c, d, v);
            }
            case 5: return new Action.NicFetch(context(s), dir());
            case 6: return new Action.NicDma(context(s), dir());
            case 7: return new Action.ReapCompletions(context(s), dir());
            case 8: {
                String g = guest(s), c = context(s);
                int first = page(s), second = (u8() & 1) == 0 ? first : page(s);
                int o = u8();
                long off = o == 255 ? -1 : o % (s.config().pageSize() + 1);
                return new Action.MapBuffer(g, c, new IoBuffer(first, second, off, len(s)));
            }
            case 9: {
                String g = guest(s), c = context(s);
                int i = s.ctx(c);
                List<IoBuffer> posted = i < 0 ? List.of() : s.hypervisor().posted(i);
                int k = u8();
                IoBuffer b = posted.isEmpty() ? new IoBuffer(1, 1, 0, 1) : posted.get(k % posted.size());
                return new Action.UnmapBuffer(g, c, b);
            }
            case 10: {
                String g = guest(s), c = context(s);
                Dir d = dir();
                int slot = u8() % (s.config().ringSize() + 2) - 1;
                int n = u8() % 4;
                List<Segment> segs = new ArrayList<>();
                for (int i = 0; i < n; i++) segs.add(new Segment(addr(s), len(s)));
                return new Action.WriteDescriptor(g, c, d, slot, segs);
            }
            case 11: return (u8() & 1) == 0 ? new Action.FlushIotlb() : new Action.Tick();
            case 12: return new Action.DeliverInterrupts();
            case 13: {
                int c = u8() % (s.config().contexts().size() + 1);
                // A context whose filter is clear (a released one) has no address: the frame goes to one nobody claims.
                String mac = c < s.config().contexts().size() && s.nic().mac(c) != null ? s.nic().mac(c) : "ff:ff:ff:ff:ff:ff";
                return new Action.ReceiveFrame(mac, u8(), 1 + u8() % (int) Math.min(64, s.config().maxLen()));
            }
            case 14: return new Action.GuestWrite(guest(s), addr(s), 1 + u8() % s.config().pageSize());
            case 16: {
                int k = u8() % 6;
                String c = context(s);
                return switch (k) {
                    case 0 -> new Action.StopContext(c);
                    case 1 -> new Action.QuiesceContext(c);
                    case 2 -> new Action.UnmapContext(c);
                    case 3 -> new Action.UnpinContext(c);
                    case 4 -> new Action.AssignContext(c, guest(s));
                    // The next pipeline step, so a few bytes take a context all the way round.
                    default -> s.ctx(c) < 0 ? null : Adversary.nextRevocationStep(s, s.ctx(c), new SplittableRandom(u8()));
                };
            }
            case 17: return new Action.NicRaise(context(s));
            case 18: {
                int k = u8() % 3;
                return k == 0 ? new Action.HandleInterrupt() : k == 1 ? new Action.ClearVector() : new Action.ScanVector();
            }
            case 19: return new Action.DeliverVirq(context(s));
            case 20: {
                String g = guest(s), c = context(s);
                int v = u8() % (s.config().guests().size() + 1);
                return new Action.SendMsi(g, c, v < s.config().guests().size() ? s.config().guests().get(v) : "g999");
            }
            default: {
                // Lets the fuzzer string together well-formed protocol steps cheaply.
                String g = guest(s);
                return HonestDriver.next(s, g, new SplittableRandom(u8()));
            }
        }
    }
}
