package cdna.check;

import cdna.json.InputException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cfg reader takes TLC's cfg syntax as TLC does (tokens, not lines) and names the line of every mistake. */
class CfgTest {
    static final Path MODELS = Path.of("src/test/resources/cdna/check/models");

    @Test
    void clausesMayShareALineAndSpanSeveral() throws InputException {
        Cfg c = Cfg.parse("a.cfg", "CONSTANTS N = 3 Procs = {p1, p2,\n p3} SPECIFICATION Spec INVARIANT\n TypeOK Safe PROPERTY Live\n");
        assertEquals("3", c.constants().get("N").value());
        assertEquals("{p1, p2, p3}", c.constants().get("Procs").value());
        assertEquals(List.of("TypeOK", "Safe"), c.invariants());
        assertEquals(List.of("Live"), c.properties());
        assertEquals("Spec", c.single("SPECIFICATION"));
    }

    @Test
    void moduleScopedOverridesParametersAndEveryKeywordAreKept() throws InputException {
        Cfg c = Cfg.read(MODELS.resolve("TicksOverride.cfg"));
        Cfg.Constant limit = c.constants().get("Limit@TicksDefs");
        assertEquals("TicksDefs", limit.module());
        assertTrue(limit.substitution());
        assertEquals("Two", limit.value());
        assertEquals(5, limit.line());
        String text = c.render(Map.of(), List.of("Small"), List.of(), null);
        assertTrue(text.contains("Limit <-[TicksDefs] Two"), text);
        assertTrue(text.contains("INIT Init") && text.contains("NEXT Next"), text);

        Cfg p = Cfg.parse("p.cfg", "CONSTANT Op(a, b) <- MCOp\n  M =[Inner] 4\n  Neg = -1\nINIT I NEXT N VIEW V SYMMETRY S "
                + "TYPE T TYPE_CONSTRAINT TC CONSTRAINT C1 C2 ACTION_CONSTRAINT AC CHECK_DEADLOCK FALSE\n");
        assertEquals(List.of("a", "b"), p.constants().get("Op").params());
        assertEquals("4", p.constants().get("M@Inner").value());
        assertEquals("-1", p.constants().get("Neg").value());
        assertFalse(p.checksDeadlock());
        String r = p.render(Map.of(), List.of(), List.of(), null);
        for (String s : List.of("Op(a, b) <- MCOp", "M =[Inner] 4", "VIEW V", "TYPE T", "TYPE_CONSTRAINT TC", "CONSTRAINT C1",
                "CONSTRAINT C2", "ACTION_CONSTRAINT AC", "CHECK_DEADLOCK FALSE")) {
            assertTrue(r.contains(s), s + " missing from\n" + r);
        }
    }

    @Test
    void aDesignSwitchGivenBySubstitutionIsReplacedByTheDesignsValue() throws InputException {
        Cfg c = Cfg.parse("s.cfg", "CONSTANTS PinPages <- MCPin\nSPECIFICATION Spec\n");
        String r = c.render(Map.of("PinPages", "FALSE"), List.of(), List.of(), null);
        assertTrue(r.contains("PinPages = FALSE") && !r.contains("MCPin"), r);
    }

    @Test
    void aliasAndPostconditionAreRefusedWithTheirLine() {
        InputException a = assertThrows(InputException.class, () -> Cfg.read(MODELS.resolve("TicksAlias.cfg")));
        assertTrue(a.getMessage().contains("TicksAlias.cfg:3:") && a.getMessage().contains("ALIAS is not supported"), a.getMessage());
        InputException p = assertThrows(InputException.class, () -> Cfg.parse("p.cfg", "SPECIFICATION S\n\nPOSTCONDITION P\n"));
        assertTrue(p.getMessage().startsWith("p.cfg:3: POSTCONDITION"), p.getMessage());
    }

    @Test
    void mistakesNameTheirLine() {
        String[][] cases = {
                {"CONSTANTS\n  A = 1\n  B 2\nSPECIFICATION Spec\n", "x.cfg:3:", "\"Name = value\""},
                {"CONSTANTS\n  A = {a, b\nSPECIFICATION Spec\n", "x.cfg:2:", "unbalanced"},
                {"CONSTANTS\n  A = 1\n", "x.cfg:2:", "SPECIFICATION"},
                {"SPECIFICATION Spec\nFOO Bar\n", "x.cfg:2:", "expected a cfg keyword"},
                {"SPECIFICATION Spec\nINIT Init\nNEXT Next\n", "x.cfg:2:", "either SPECIFICATION or INIT and NEXT"},
                {"SPECIFICATION Spec\nSPECIFICATION Other\n", "x.cfg:2:", "given twice (first on line 1)"},
                {"CONSTANTS A = 1\n A = 2\nSPECIFICATION Spec\n", "x.cfg:2:", "given twice"},
                {"SPECIFICATION Spec\nCHECK_DEADLOCK maybe\n", "x.cfg:2:", "TRUE or FALSE"},
                {"SPECIFICATION\n", "x.cfg:1:", "one name after SPECIFICATION"},
                {"CONSTANT A <-[Mod Two\nSPECIFICATION S\n", "x.cfg:1:", "<-[Module]"},
                {"(* never closed\nSPECIFICATION S\n", "x.cfg:1:", "never closed"},
                {"CONSTANT A = \"open\nSPECIFICATION S\n", "x.cfg:1:", "string"},
                {"CONSTANT A = 1 ; SPECIFICATION S\n", "x.cfg:1:", "unexpected character ';'"},
        };
        for (String[] c : cases) {
            InputException e = assertThrows(InputException.class, () -> Cfg.parse("x.cfg", c[0]), c[0]);
            assertTrue(e.getMessage().startsWith(c[1]) && e.getMessage().contains(c[2]), c[0] + " -> " + e.getMessage());
        }
    }

    @Test
    void everyProjectCfgReads() throws Exception {
        try (var files = java.nio.file.Files.list(Path.of("model-check"))) {
            for (Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".cfg"))::iterator) Cfg.read(f);
        }
        try (var files = java.nio.file.Files.list(Path.of("proofs"))) {
            for (Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".cfg"))::iterator) Cfg.read(f);
        }
    }
}
