package cdna.conformance;

import cdna.json.InputException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Provisioning counterexamples on the Java twin, seen to fail where they
 * should: a tampered state diverges, a loop that feeds the starved context
 * is not a starvation, and rates the twin cannot read are located errors.
 */
class ProvisionReplayTest {
    static final Path ROOT = TraceReplayTest.ROOT;
    static final String RATE = "provisioning-small--provisioning-refill-uncapped--RateCap";
    static final String STARVE = "provisioning-liveness-small--provisioning-arbiter-ignores-minimum--NoStarvation";

    @TempDir
    Path tmp;

    @Test
    void theKeptTracesReproduce() throws Exception {
        assertTrue(TraceReplay.replay(ROOT, TraceReplayTest.trace(RATE)).reproduced());
        ReplayResult r = TraceReplay.replay(ROOT, TraceReplayTest.trace(STARVE));
        assertTrue(r.reproduced() && r.summary().contains("context 1"), r.summary());
    }

    @Test
    void aWrongTokenCountDivergesAtItsState() throws Exception {
        Path p = TraceReplayTest.tampered(tmp, RATE, d -> ((ArrayNode) TraceReplayTest.vars(d, 3).get("tokens")).set(0, 3));
        ReplayResult r = TraceReplay.replay(ROOT, p);
        assertFalse(r.reproduced());
        assertTrue(r.summary().contains("DIVERGES at state 3") && r.summary().contains("tokens"), r.summary());
    }

    @Test
    void aTraceCutBeforeTheViolationIsNotReproduced() throws Exception {
        Path p = TraceReplayTest.tampered(tmp, RATE, d -> {
            ((ArrayNode) d.get("states")).remove(d.get("states").size() - 1);
            d.put("length", d.get("states").size());
        });
        ReplayResult r = TraceReplay.replay(ROOT, p);
        assertFalse(r.reproduced(), r.summary());
        assertTrue(r.summary().contains("does not flag RateCap"), r.summary());
    }

    @Test
    void aLoopThatReturnsElsewhereIsNoStarvation() throws Exception {
        // the loop claimed to return to the first state, which the closing step does not reach
        Path p = TraceReplayTest.tampered(tmp, STARVE, d -> d.put("loopsBackTo", 1));
        ReplayResult r = TraceReplay.replay(ROOT, p);
        assertFalse(r.reproduced(), r.summary());
        assertTrue(r.summary().contains("NOT"), r.summary());
    }

    @Test
    void ratesTheTwinCannotReadAreLocatedErrors() throws Exception {
        Path mc = tmp.resolve("model-check");
        Files.createDirectories(mc.resolve("designs"));
        try (var s = Files.list(ROOT.resolve("model-check/designs"))) {
            for (Path f : (Iterable<Path>) s::iterator) Files.copy(f, mc.resolve("designs").resolve(f.getFileName()));
        }
        Files.copy(ROOT.resolve("model-check/manifest.json"), mc.resolve("manifest.json"));
        Files.writeString(mc.resolve("MCProvisioning.tla"), Files.readString(ROOT.resolve("model-check/MCProvisioning.tla"))
                .replace("SmallRate == <<1, 2, 1>>", "SmallRate == <<1, 2>>"));
        Files.copy(ROOT.resolve("model-check/MCProvisioningSmall.cfg"), mc.resolve("MCProvisioningSmall.cfg"));
        InputException e = assertThrows(InputException.class, () -> TraceReplay.replay(tmp, TraceReplayTest.trace(RATE)));
        assertTrue(e.getMessage().contains("MCProvisioning.tla:") && e.getMessage().contains("tuple of 3 naturals"), e.getMessage());
        Files.writeString(mc.resolve("MCProvisioningSmall.cfg"), Files.readString(ROOT.resolve("model-check/MCProvisioningSmall.cfg"))
                .replace("Rate <- SmallRate", "Rate = 2"));
        e = assertThrows(InputException.class, () -> TraceReplay.replay(tmp, TraceReplayTest.trace(RATE)));
        assertTrue(e.getMessage().contains("MCProvisioningSmall.cfg:") && e.getMessage().contains("expected Rate <- Op"), e.getMessage());
    }
}
