package cdna.check;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Distributed TLC behind its fail-closed wrapper, for real: a server and two
 * workers on loopback.  A safe model holds with local TLC's state count; a
 * known-bad design is violated with the trace of a local re-check; a worker
 * killed mid-run, a timeout, a rejected configuration and a worker that never
 * comes all give a verdict other than "holds".  While a run is under way,
 * every socket its JVMs listen on is bound to 127.0.0.1.
 */
// both cores are busy with this class alone (two TLC lanes, or a server and its workers): pom.xml runs it apart
@org.junit.jupiter.api.Tag("lanes")
class DistributedTlcTest {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path MC = ROOT.resolve("model-check");
    static final Path MODELS = ROOT.resolve("src/test/resources/cdna/check/models");
    static final DistributedTlc.Plan TWO = new DistributedTlc.Plan(2, List.of());

    @TempDir
    Path tmp;

    private ModelChecker checker(DistributedTlc.Plan plan) {
        return new ModelChecker(new ModelChecker.Settings(ROOT, tmp.resolve("reports"), tmp.resolve("work"), 1,
                TlcRunner.Launcher.tlc("1g"), 1.0, true, null).distributed(plan));
    }

    private static Manifest.Model model(String name) throws Exception {
        for (Manifest.Entry e : Manifest.read(MC.resolve("manifest.json")).entries()) {
            if (e.name().equals(name)) return e.model();
        }
        throw new AssertionError("no manifest model " + name);
    }

    private DistributedTlc.Run grid(String cfg, Duration timeout, java.util.function.Consumer<List<Process>> started)
            throws IOException {
        return new DistributedTlc(TlcRunner.Launcher.tlc("1g")).run(new DistributedTlc.Request(MODELS.resolve("Grid.tla"),
                MODELS.resolve(cfg), List.of(MODELS), TWO, timeout, tmp.resolve("grid-" + System.nanoTime()), "700m",
                List.of(), started, null));
    }

    @Test
    void aSafeModelHoldsThroughTheChecker() throws Exception {
        // a CDNA model under a VIEW, the smallest one (cdna-small takes twice as long and shows nothing more here)
        Manifest.Model m = model("cdna-three-pages--cdna-baseline");
        List<PropertyResult> rs = checker(TWO).check(m, x -> {});
        for (PropertyResult r : rs) {
            assertEquals("holds", r.verdict(), r.property() + ": " + r.message());
            assertTrue(r.message().contains("distributed TLC (2 workers)"), r.message());
            assertTrue(r.commands().get(0).contains("DistributedMain server"), r.commands().toString());
            assertEquals(2, r.commands().stream().filter(c -> c.contains("DistributedMain worker 127.0.0.1")).count());
            // the count of a run under a VIEW depends on which state of a view class is explored first (so on the
            // workers' interleaving): the manifest's range, not one number (aSafeModelHasLocalTlcsExactStateCount)
            assertEquals(Boolean.TRUE, r.statesInRange(), r.distinctStates() + " distinct states");
        }
    }

    @Test
    void aSafeModelHasLocalTlcsExactStateCount() throws Exception {
        // ownership-small's invariants (no VIEW: the count does not depend on the order of exploration)
        Path cfg = tmp.resolve("OwnershipSmallInvariants.cfg");
        Files.writeString(cfg, Files.readString(MC.resolve("MCOwnershipSmall.cfg")).replace("PROPERTY HalvesApart", ""));
        List<Path> lib = List.of(MC, ROOT.resolve("specs"));
        DistributedTlc.Run run = new DistributedTlc(TlcRunner.Launcher.tlc("1g")).run(new DistributedTlc.Request(
                MC.resolve("MCContextOwnership.tla"), cfg, lib, TWO, Duration.ofMinutes(3), tmp.resolve("dist"), null,
                List.of(), null, null));
        DistributedTlc.Judgement j = DistributedTlc.judge(run, TWO);
        assertEquals(DistributedTlc.Verdict.CLEAN, j.verdict(), j.cause());
        Outcome d = Outcome.of(DistributedTlc.asTlcRun(run), lib);
        assertEquals(Outcome.Kind.NO_ERROR, d.kind(), d.message());
        TlcRunner.Run local = new TlcRunner(TlcRunner.Launcher.tlc("1g")).run(new TlcRunner.Request(
                MC.resolve("MCContextOwnership.tla"), cfg, lib, 1, Duration.ofMinutes(3), tmp.resolve("local"), List.of()));
        Outcome o = Outcome.of(local, lib);
        assertEquals(Outcome.Kind.NO_ERROR, o.kind(), o.message());
        assertEquals(o.distinct(), d.distinct());
        // (the depths differ by one: the server counts its trace's levels from 1, local TLC from 0)
    }

    @Test
    void aViolationIsReportedWithTheLocallyRecheckedShortestTrace() throws Exception {
        Manifest.Model m = model("cdna-small--cdna-no-pinning");
        List<PropertyResult> rs = checker(TWO).check(m, x -> {});
        PropertyResult r = rs.get(0);
        assertEquals("violated", r.verdict(), r.message());
        assertTrue(r.trace() != null && r.tlcTrace() != null, r.toString());
        // the distributed run came first; the verdict and trace are from local TLC with one worker
        assertTrue(r.commands().get(0).contains("DistributedMain server"), r.commands().toString());
        String local = r.commands().stream().filter(c -> c.contains("TlcMain")).findFirst().orElseThrow();
        assertTrue(local.contains("-workers 1"), local);
        // the same shortest trace as a local check of the same design
        List<PropertyResult> plain = new ModelChecker(new ModelChecker.Settings(ROOT, tmp.resolve("reports2"),
                tmp.resolve("work2"), 1, TlcRunner.Launcher.tlc("1g"), 1.0, true, null)).check(m, x -> {});
        assertEquals("violated", plain.get(0).verdict());
        assertEquals(plain.get(0).depth(), r.depth());
        assertEquals(Files.readString(ROOT.resolve(plain.get(0).tlcTrace())), Files.readString(ROOT.resolve(r.tlcTrace())));
    }

    @Test
    void aWorkerKilledMidRunIsNeverHolds() throws Exception {
        List<Set<String>> listening = new ArrayList<>();
        DistributedTlc.Run run = grid("GridBig.cfg", Duration.ofMinutes(2), workers -> {
            try {
                Thread.sleep(6000);
                listening.add(listeningAddresses());
                workers.get(0).destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        DistributedTlc.Judgement j = DistributedTlc.judge(run, TWO);
        assertEquals(DistributedTlc.Verdict.IRREGULAR, j.verdict(), j.cause());
        assertTrue(j.cause().contains("worker"), j.cause());
        assertFalse(listening.get(0).isEmpty(), "no listening socket of the run found");
        for (String a : listening.get(0)) assertTrue(a.equals("127.0.0.1"), "a run JVM listens on " + a);
    }

    @Test
    void aRunOutOfTimeIsNeverHolds() throws Exception {
        DistributedTlc.Run run = grid("GridBig.cfg", Duration.ofSeconds(8), null);
        assertTrue(run.timedOut());
        DistributedTlc.Judgement j = DistributedTlc.judge(run, TWO);
        assertEquals(DistributedTlc.Verdict.IRREGULAR, j.verdict(), j.cause());
        assertTrue(j.cause().contains("time budget"), j.cause());
        // and nothing of it is left running
        assertTrue(ProcessHandle.current().children().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void aRejectedConfigurationIsNeverHolds() throws Exception {
        DistributedTlc.Run run = grid("GridUndefined.cfg", Duration.ofMinutes(1), null);
        DistributedTlc.Judgement j = DistributedTlc.judge(run, TWO);
        assertEquals(DistributedTlc.Verdict.IRREGULAR, j.verdict(), j.cause());
        // the served server dies of a NullPointerException after naming the undefined invariant: exit 1, no worker started
        assertTrue(j.cause().contains("exited with code"), j.cause());
        assertTrue(run.workers().isEmpty());
    }

    @Test
    void aNamedHostWhoseWorkerNeverComesIsNeverHolds() throws Exception {
        DistributedTlc.Plan remote = new DistributedTlc.Plan(0, List.of("worker-host-that-never-starts"));
        List<String> told = new ArrayList<>();
        DistributedTlc.Run run = new DistributedTlc(TlcRunner.Launcher.tlc("1g")).run(new DistributedTlc.Request(
                MODELS.resolve("Grid.tla"), MODELS.resolve("GridBig.cfg"), List.of(MODELS), remote, Duration.ofSeconds(8),
                tmp.resolve("remote"), "700m", List.of(), null, told::add));
        DistributedTlc.Judgement j = DistributedTlc.judge(run, remote);
        assertEquals(DistributedTlc.Verdict.IRREGULAR, j.verdict(), j.cause());
        assertTrue(told.get(0).contains("tlc2.tool.distributed.TLCWorker"), told.toString());
    }

    @Test
    void badPlansAreRejectedWithTheReason() {
        assertTrue(new DistributedTlc.Plan(0, List.of()).problem().contains("at least one worker"));
        assertTrue(new DistributedTlc.Plan(-1, List.of()).problem().contains("between 0 and 64"));
        assertTrue(new DistributedTlc.Plan(1, List.of("bad host!")).problem().contains("\"bad host!\""));
        assertEquals(null, new DistributedTlc.Plan(2, List.of("node-1.example.org")).problem());
    }

    /** The addresses the children of this JVM (the run's server and workers) listen on, from /proc. */
    private static Set<String> listeningAddresses() {
        Set<String> inodes = new HashSet<>();
        ProcessHandle.current().children().forEach(p -> {
            try (var fds = Files.list(Path.of("/proc", Long.toString(p.pid()), "fd"))) {
                fds.forEach(fd -> {
                    try {
                        String t = Files.readSymbolicLink(fd).toString();
                        if (t.startsWith("socket:[")) inodes.add(t.substring(8, t.length() - 1));
                    } catch (IOException e) {
                        // closed meanwhile
                    }
                });
            } catch (IOException e) {
                // exited meanwhile
            }
        });
        Set<String> out = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException e) {
                continue;
            }
            for (String l : lines.subList(1, lines.size())) {
                String[] f = l.trim().split("\\s+");
                if (!f[3].equals("0A") || !inodes.contains(f[9])) continue; // 0A: LISTEN
                String hex = f[1].substring(0, f[1].indexOf(':'));
                out.add(hex.equals("0100007F") || hex.equals("0000000000000000FFFF00000100007F") ? "127.0.0.1" : hex);
            }
        }
        return out;
    }
}
