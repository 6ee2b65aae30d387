package cdna.check;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LanesTest {
    @Test
    void resultsComeBackInSubmissionOrderAndTheLongestStartsFirst() {
        List<String> started = Collections.synchronizedList(new ArrayList<>());
        List<Lanes.Job<String>> jobs = new ArrayList<>();
        double[] hints = {1, 50, 5, 30};
        for (int i = 0; i < hints.length; i++) {
            String name = "job" + i;
            jobs.add(new Lanes.Job<>(name, hints[i], () -> {
                started.add(name);
                try {
                    Thread.sleep(50); // hold the lane, so the other lane's first job starts meanwhile
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return name.toUpperCase();
            }));
        }
        List<String> done = Collections.synchronizedList(new ArrayList<>());
        List<String> out = Lanes.run(jobs, 1, done::add);
        assertEquals(List.of("JOB0", "JOB1", "JOB2", "JOB3"), out);
        assertEquals(List.of("job0", "job1", "job2", "job3"), started, "one lane keeps manifest order");

        started.clear();
        out = Lanes.run(jobs, 2, r -> {});
        assertEquals(List.of("JOB0", "JOB1", "JOB2", "JOB3"), out);
        assertEquals(List.of("job1", "job3"), List.copyOf(started).subList(0, 2).stream().sorted().toList(),
                "the two longest start first");
    }
}
