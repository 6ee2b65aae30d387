package cdna.check;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The bounds reach the shapes that matter.  A validation that checks only a
 * buffer's first and last pages is a real bug class (a loop bound off by one),
 * and no model with two-page buffers can see it: every page of such a buffer
 * is a first or a last one.  cdna-three-pages (pages of one byte, buffers of
 * three) does: TLC reports InterGuestIsolation violated there.
 */
class BoundsShapesTest {
    @TempDir
    Path tmp;

    @Test
    void aValidationThatSkipsMiddlePagesIsCaughtWithThreePageBuffers() throws Exception {
        Path specs = SpecMutants.mutate(tmp, "CdnaProtection.tla", "IF ValidateAllPages THEN \\A p \\in PagesOf(d) : owner[p] = g",
                "IF ValidateAllPages THEN \\A p \\in {PageOf(d.addr), PageOf(d.addr + d.len - 1)} : owner[p] = g");
        String cfg = Files.readString(SpecMutants.MC.resolve("MCCdnaThreePages.cfg"));
        Outcome o = SpecMutants.run(tmp, "MCCdna.tla", specs, cfg);
        assertEquals(Outcome.Kind.INVARIANT_VIOLATED, o.kind(), o.message());
        assertEquals("InterGuestIsolation", o.violated());
    }
}
