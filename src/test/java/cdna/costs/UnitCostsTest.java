package cdna.costs;

import cdna.json.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit-cost files: a partial file overrides only what it names; bad ones are refused with file and line. */
class UnitCostsTest {
    @TempDir
    Path dir;

    @Test
    void aFileOverridesWhatItNames() throws Exception {
        Path f = Files.writeString(dir.resolve("u.json"), "{\n  \"invalidation\": 8,\n  \"bouncePerKiB\": 0.5\n}\n");
        UnitCosts u = UnitCosts.read(f);
        assertEquals(8.0, u.invalidation());
        assertEquals(0.5, u.bouncePerKiB());
        assertEquals(UnitCosts.DEFAULT.hypercall(), u.hypercall());
        CostTable.Row r = new CostTable.Row("d", "s", 1, 1, 1, 2, 1, 2, 1024);
        assertEquals(2 + 0.5 + 0.5 + 8 + 0.05 + 0.1 + 0.5, r.relativeCost(u), 1e-12);
        assertEquals(2 + 0.5 + 0.5 + 2 + 0.05 + 0.1 + 0.25, r.relativeCost(), 1e-12);
    }

    @Test
    void badFilesNameTheFileTheLineAndWhatWasExpected() throws Exception {
        Path unknown = Files.writeString(dir.resolve("unknown.json"), "{\n  \"hypercal\": 1\n}\n");
        InputException e = assertThrows(InputException.class, () -> UnitCosts.read(unknown));
        assertTrue(e.getMessage().contains("unknown.json:2") && e.getMessage().contains("hypercall"), e.getMessage());
        Path negative = Files.writeString(dir.resolve("negative.json"), "{\n\n  \"map\": -1\n}\n");
        e = assertThrows(InputException.class, () -> UnitCosts.read(negative));
        assertTrue(e.getMessage().contains("negative.json:3") && e.getMessage().contains(">= 0"), e.getMessage());
        Path text = Files.writeString(dir.resolve("text.json"), "{\"map\": \"cheap\"}");
        e = assertThrows(InputException.class, () -> UnitCosts.read(text));
        assertTrue(e.getMessage().contains("text.json:1") && e.getMessage().contains("number"), e.getMessage());
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"map\": ");
        e = assertThrows(InputException.class, () -> UnitCosts.read(broken));
        assertTrue(e.getMessage().contains("broken.json"), e.getMessage());
    }
}
