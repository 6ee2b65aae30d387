package cdna.design;

import cdna.json.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DesignFilesTest {
    @TempDir
    Path tmp;

    @Test
    void everyShippedDesignLoadsAndBadOnesDifferFromTheirBaseInOneProtection() throws Exception {
        DesignFiles df = new DesignFiles(Path.of("model-check/designs"));
        Design cdna = df.load("cdna-baseline");
        Design iommu = df.load("iommu-baseline");
        assertEquals(Design.cdnaBaseline().values(), cdna.values());
        assertEquals(Design.iommuBaseline().values(), iommu.values());
        assertFalse(df.load("cdna-no-pinning").pinPages());
        assertFalse(df.load("cdna-first-page-only").validateAllPages());
        assertFalse(df.load("cdna-no-sequence-numbers").sequenceNumbers());
        assertFalse(df.load("iommu-shared-requester-id").requesterIdPerContext());
        assertEquals(Design.Invalidation.DEFERRED, df.load("iommu-deferred-reuse").invalidation());
        try (var files = Files.list(df.dir())) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString().replace(".json", "");
                Design d = df.load(name);
                Design base = d.protection() == Design.Protection.SOFTWARE ? cdna : iommu;
                long diff = d.values().keySet().stream().filter(s -> !d.get(s).equals(base.get(s))).count();
                assertTrue(diff <= 3, name + " changes " + diff + " switches");
            }
        }
    }

    private Path write(String name, String text) throws IOException {
        Path f = tmp.resolve(name + ".json");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void errorsNameFileLineAndWhatWasExpected() throws Exception {
        Files.copy(Path.of("model-check/designs/cdna-baseline.json"), tmp.resolve("cdna-baseline.json"));
        DesignFiles df = new DesignFiles(tmp);
        String[][] cases = {
                {"{\"name\": \"x\", \"base\": \"cdna-baseline\",\n \"switches\": {\"PinPages\": \"no\"}}", "x.json:2:", "true or false"},
                {"{\"name\": \"x\", \"base\": \"cdna-baseline\",\n \"switches\": {\"PinPage\": false}}", "x.json:2:", "unknown switch"},
                {"{\"name\": \"x\", \"base\": \"cdna-baseline\",\n \"switches\": {\"IommuStrategy\": \"lazy\"}}", "x.json:2:", "must be one of"},
                {"{\"name\": \"x\", \"base\": \"cdna-baseline\",\n \"switches\": {\"RevokeQuiesce\": \"drain\"}}", "x.json:2:",
                        "must be one of [reset, drain-all, drain-inflight, none], found \"drain\""},
                {"{\"name\": \"x\", \"base\": \"cdna-baseline\",\n \"switches\": {\"FlushBatch\": 0}}", "x.json:2:", "between 1 and 64"},
                {"{\"name\": \"x\",\n \"switches\": {\"PinPages\": false}}", "x.json:2:", "has no value"},
                {"{\"name\": \"y\", \"switches\": {}}", "x.json:1:", "must match its file name"},
                {"{\"name\": \"x\", \"base\": \"nope\", \"switches\": {}}", "x.json:1:", "nope.json"},
                {"{\"name\": \"x\",\n \"switches\": {\"PinPages\": false,}}", "x.json:2:", "malformed JSON"},
                {"{\"name\": \"x\", \"base\": \"x\", \"switches\": {}}", "x.json", "cycle"},
        };
        for (String[] c : cases) {
            write("x", c[0]);
            InputException e = assertThrows(InputException.class, () -> df.load("x"), c[0]);
            assertTrue(e.getMessage().contains(c[1]) && e.getMessage().contains(c[2]), c[0] + " -> " + e.getMessage());
        }
    }

    @Test
    void switchesRenderAsTlaConstants() {
        Design d = Design.iommuBaseline();
        assertEquals("\"single-use\"", Switch.IommuStrategy.toTla(d.get(Switch.IommuStrategy)));
        assertEquals("TRUE", Switch.PinPages.toTla(d.get(Switch.PinPages)));
        assertEquals("2", Switch.FlushBatch.toTla(d.get(Switch.FlushBatch)));
    }
}
