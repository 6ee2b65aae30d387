package cdna.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad arguments get a clear error and exit code 2, and nothing already written is touched. */
class CheckCommandTest {
    @TempDir
    Path tmp;

    private record Ran(int code, String out, String err) {}

    private Ran run(String... args) {
        PrintStream o = System.out, e = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out));
        System.setErr(new PrintStream(err));
        try {
            int code = Main.run(args);
            return new Ran(code, out.toString(), err.toString());
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
    }

    @Test
    void badArgumentsAreRejected() {
        Ran r = run("check", "--profile", "huge");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--profile must be small, standard, deep or doubled"), r.err());
        r = run("check", "--filter", "(unclosed");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--filter"), r.err());
        r = run("check", "--filter", "no-model-has-this-name");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no model"), r.err());
        r = run("check", "--workers", "0");
        assertEquals(2, r.code());
        r = run("check", "--hosts", "node1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--hosts needs --distributed N"), r.err());
        r = run("check", "--distributed", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("at least one worker"), r.err());
        r = run("check", "--distributed", "65");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("between 0 and 64"), r.err());
        r = run("check", "--distributed", "1", "--hosts", "good-host,bad host");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("\"bad host\" is not a host name"), r.err());
        r = run("check", "--distributed", "two");
        assertEquals(2, r.code());
        r = run("check", "--no-such-option");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Unknown option"), r.err());
    }

    @Test
    void anUnreadableManifestLeavesEarlierReportsAlone() throws Exception {
        Path reports = tmp.resolve("reports");
        Files.createDirectories(reports);
        Path earlier = reports.resolve("check.json");
        Files.writeString(earlier, "[\"earlier\"]\n");
        Path man = tmp.resolve("manifest.json");
        Files.writeString(man, "{\"models\": [\n  {\"name\": \n]}");
        Ran r = run("check", "--manifest", man.toString(), "--reports", reports.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("manifest.json:3:"), r.err());
        assertEquals("[\"earlier\"]\n", Files.readString(earlier));
    }

    @Test
    void listsSelectedModels() {
        Ran r = run("check", "--profile", "small", "--list");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("cdna-small--cdna-baseline"), r.out());
        assertTrue(!r.out().contains("cdna-standard--"), r.out());
    }
}
