package cdna.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bin/cdna validate and bin/cdna replay --exhaustive/--simulate by hand: what they print, their exit codes, bad input. */
class ConformanceCommandsTest {
    @TempDir
    Path tmp;

    static CertifyCommandTest.Out cli(String... args) { return CertifyCommandTest.cli(args); }

    @Test
    void aSeededRunIsLoggedAndValidatedAndATamperedLogIsRejectedAtItsEntry() throws Exception {
        Path log = tmp.resolve("run.ndjson");
        CertifyCommandTest.Out o = cli("validate", "--model", "cdna-small", "--steps", "40", "--log", log.toString());
        assertEquals(0, o.exit(), o.out() + o.err());
        assertTrue(o.out().contains("VALID: ") && o.out().contains("CdnaProtection: valid"), o.out());
        // Entry 4 (line 5) now says a page belongs to a guest no step of the spec gave it to.
        List<String> lines = Files.readAllLines(log);
        String changed = lines.get(4).replaceFirst("\"owner\":\\[\"Hyp\"", "\"owner\":[\"g2\"").replaceFirst("\"owner\":\\[\"g1\"", "\"owner\":[\"g2\"");
        assertTrue(!changed.equals(lines.get(4)), "the test could not tamper with " + lines.get(4));
        lines.set(4, changed);
        Path bad = tmp.resolve("tampered.ndjson");
        Files.write(bad, lines);
        o = cli("validate", bad.toString());
        assertEquals(1, o.exit(), o.out() + o.err());
        assertTrue(o.out().contains("NOT A BEHAVIOUR") && o.out().contains("entry 5 of"), o.out());
    }

    @Test
    void badLogsAndArgumentsAreClearErrors() throws Exception {
        Path bad = tmp.resolve("bad.ndjson");
        Files.writeString(bad, "{\"step\": 0, \"action\": \"Init\"}\n");
        CertifyCommandTest.Out o = cli("validate", bad.toString());
        assertEquals(2, o.exit());
        assertTrue(o.err().contains(bad + ":1:") && o.err().contains("missing required field"), o.err());
        o = cli("validate", tmp.resolve("none.ndjson").toString());
        assertEquals(2, o.exit());
        assertTrue(o.err().contains("cannot read the log"), o.err());
        o = cli("validate");
        assertEquals(2, o.exit());
        o = cli("validate", "--model", "no-such-model");
        assertEquals(2, o.exit());
        assertTrue(o.err().contains("expected one of") && o.err().contains("ownership-small"), o.err());
        o = cli("replay", "--exhaustive", "iommu-small", "--design", "cdna-baseline");
        assertEquals(2, o.exit());
        assertTrue(o.err().contains("IommuProtection") && o.err().contains("software"), o.err());
        o = cli("replay");
        assertEquals(2, o.exit());
        o = cli("replay", "--exhaustive", "ownership-small", "--bound", "NoSuchConstant=1");
        assertEquals(2, o.exit());
        assertTrue(o.err().contains("no constant NoSuchConstant"), o.err());
    }

    @Test
    void everyEdgeOfASmallModelAgreesAndTheWalksOfASimulationToo() {
        CertifyCommandTest.Out o = cli("replay", "--exhaustive", "ownership-small", "--design", "iommu-baseline");
        assertEquals(0, o.exit(), o.out() + o.err());
        assertTrue(o.out().contains("AGREES: ") && o.out().contains("0 mismatches"), o.out());
        o = cli("replay", "--simulate", "ownership-small", "--walks", "5", "--depth", "30", "--seed", "7");
        assertEquals(0, o.exit(), o.out() + o.err());
        assertTrue(o.out().contains("AGREES: "), o.out());
    }
}
