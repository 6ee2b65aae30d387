package cdna.check;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TLC's coverage block, as this TLC prints it (a real run of cdna-small with -coverage 1), read fail-closed. */
class CoverageTest {
    static List<String> fixture() throws Exception {
        return Files.readAllLines(Path.of("src/test/resources/cdna/check/tlc-coverage-cdna-small.txt"));
    }

    @Test
    void readsEveryActionWithItsCounts() throws Exception {
        Coverage c = Coverage.of(TlcOutput.parse(fixture()));
        assertNotNull(c);
        List<String> names = c.actions().stream().map(Coverage.Action::name).toList();
        assertEquals(List.of("Init", "AllocatePage", "FreePage", "TransferPage", "PostDescriptor", "RingDoorbell", "NicFetch",
                "NicDma", "ReapCompletions"), names);
        // the actions' generated states add up to TLC's total, their new states to its distinct count (less the initial)
        long taken = 0, found = 0;
        for (Coverage.Action a : c.actions()) {
            taken += a.taken();
            found += a.found();
        }
        assertEquals(268_008, taken);
        assertEquals(30_022, found);
        assertEquals(17_944, c.action("PostDescriptor").taken());
        assertEquals(5_001, c.action("PostDescriptor").found());
        assertEquals("line 217, col 1 to line 217, col 11 of module CdnaProtection", c.action("NicFetch").location());
        assertTrue(c.neverFired().isEmpty());
    }

    @Test
    void anActionThatNeverFiredIsNamed() throws Exception {
        List<String> lines = new ArrayList<>();
        for (String l : fixture()) lines.add(l.startsWith("<PostDescriptor ") ? l.replaceAll(">: .*", ">: 0:0") : l);
        assertEquals(List.of("PostDescriptor"), Coverage.of(TlcOutput.parse(lines)).neverFired());
    }

    @Test
    void noBlockOrAGarbledLineIsNoCoverage() throws Exception {
        List<String> none = new ArrayList<>();
        for (String l : fixture()) if (!l.startsWith("<")) none.add(l);
        assertNull(Coverage.of(TlcOutput.parse(none)));
        List<String> garbled = new ArrayList<>();
        for (String l : fixture()) garbled.add(l.startsWith("<NicDma ") ? "<NicDma somewhere>: many" : l);
        assertNull(Coverage.of(TlcOutput.parse(garbled)));
    }
}
