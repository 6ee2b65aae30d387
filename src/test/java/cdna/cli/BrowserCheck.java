package cdna.cli;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Opens a page in headless Chromium (Debian's chromium; .ci/run installs it)
 * twice: once for a screenshot, once for the DOM after loading.  Flags as this
 * machine needs them: no sandbox (root), no GPU, and no background networking
 * (the network is closed).
 */
final class BrowserCheck {
    private BrowserCheck() {}

    record Result(BufferedImage image, String dom) {
        /** Pixels within a small distance of the colour 0xRRGGBB. */
        int pixels(int rgb) {
            int n = 0;
            int r0 = (rgb >> 16) & 0xff, g0 = (rgb >> 8) & 0xff, b0 = rgb & 0xff;
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    int p = image.getRGB(x, y);
                    int r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;
                    if (Math.abs(r - r0) + Math.abs(g - g0) + Math.abs(b - b0) < 24) n++;
                }
            }
            return n;
        }
    }

    static Path chromium() {
        for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(c))) return Path.of(c);
        }
        throw new AssertionError("headless Chromium is not installed: apt-get install chromium (.ci/run does this)");
    }

    static Result render(Path page, Path screenshot) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("cdna-chromium");
        List<String> base = new ArrayList<>(List.of(chromium().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + profile, "--window-size=1400,2000"));
        List<String> shot = new ArrayList<>(base);
        shot.add("--screenshot=" + screenshot.toAbsolutePath());
        shot.add(page.toAbsolutePath().toUri().toString());
        run(shot);
        List<String> dump = new ArrayList<>(base);
        dump.add("--dump-dom");
        dump.add(page.toAbsolutePath().toUri().toString());
        String dom = run(dump);
        BufferedImage img = ImageIO.read(screenshot.toFile());
        if (img == null) throw new AssertionError("Chromium wrote no readable screenshot at " + screenshot);
        return new Result(img, dom);
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("Chromium did not finish in 60 s: " + cmd);
        }
        if (p.exitValue() != 0) throw new AssertionError("Chromium exited " + p.exitValue() + ": " + cmd);
        return new String(out, StandardCharsets.UTF_8);
    }
}
