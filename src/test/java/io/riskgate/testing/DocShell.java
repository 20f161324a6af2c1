package io.riskgate.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A document's shell blocks run as a reader would run them: one after another in one bash session (so a variable or
 * function one block defines is there for the next), in a directory laid out as the document assumes, each block's
 * output (standard output and error together) and the exit status of its last command kept apart by markers.
 */
public final class DocShell {

    /** What one block printed and the status its last command exited with. */
    public record Ran(DocBlocks.Block block, String output, int exit) {
    }

    private static final Pattern END = Pattern.compile("\\n?@@riskgate-doc-end (\\d+) (\\d+)\\n");

    private DocShell() {
    }

    /**
     * Runs the blocks in {@code dir} with {@code bash}, each text first passed through {@code replace} (e.g. the
     * documented port for the test server's), with {@code env} added to the environment. A block that does not
     * finish in the time left of {@code timeout} leaves the blocks after it without a result.
     */
    public static List<Ran> run(List<DocBlocks.Block> blocks, Path dir, Map<String, String> replace,
                                Map<String, String> env, java.time.Duration timeout) throws IOException,
            InterruptedException {
        // a pipeline fails when any of its commands does (a key made by curl | grep | cut), and no curl waits past 30 s
        Path curlrc = dir.resolve(".curlrc");
        Files.writeString(curlrc, "max-time = 30\n");
        StringBuilder script = new StringBuilder("exec 2>&1\nset -o pipefail\nexport CURL_HOME=" + dir + "\n");
        for (int i = 0; i < blocks.size(); i++) {
            String text = blocks.get(i).text();
            for (Map.Entry<String, String> r : replace.entrySet()) {
                text = text.replace(r.getKey(), r.getValue());
            }
            // a block's last command's status: $? as the next line reads it, before anything else runs
            script.append(text).append("\nprintf '\\n@@riskgate-doc-end %d %d\\n' ").append(i).append(" $?\n");
        }
        Path file = Files.createTempFile(dir, "doc-", ".sh");
        Files.writeString(file, script);
        ProcessBuilder pb = new ProcessBuilder("bash", file.toString()).directory(dir.toFile())
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        // the output is read on a thread of its own: a session that overruns is killed, and a process a block left
        // in the background holding the output open does not keep the test waiting
        java.io.ByteArrayOutputStream collected = new java.io.ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try {
                p.getInputStream().transferTo(collected);
            } catch (IOException ended) {
                // the session was killed
            }
        }, "doc-shell-output");
        reader.setDaemon(true);
        reader.start();
        byte[] out;
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            reader.join(10_000);
            synchronized (collected) {
                out = collected.toByteArray();
            }
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        return split(blocks, new String(out, StandardCharsets.UTF_8));
    }

    private static List<Ran> split(List<DocBlocks.Block> blocks, String all) {
        Map<Integer, Ran> byIndex = new LinkedHashMap<>();
        Matcher m = END.matcher(all);
        int from = 0;
        while (m.find()) {
            int i = Integer.parseInt(m.group(1));
            byIndex.put(i, new Ran(blocks.get(i), all.substring(from, m.start()), Integer.parseInt(m.group(2))));
            from = m.end();
        }
        List<Ran> ran = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            ran.add(byIndex.getOrDefault(i, new Ran(blocks.get(i), i == byIndex.size() ? all.substring(from) : "",
                    -1)));
        }
        return ran;
    }

    /** A copy of a directory tree, as {@code cp -r} makes it. */
    public static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
