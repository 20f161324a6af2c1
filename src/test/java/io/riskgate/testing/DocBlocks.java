package io.riskgate.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fenced code blocks of a Markdown document, each with what the document says a test should do with it. The
 * instructions sit in an HTML comment right above the fence (hidden when the document is rendered), one per line
 * after the word {@code test}:
 *
 * <pre>
 * &lt;!-- test
 * exit: 1
 * prints: 166 passed, 1 failed
 * --&gt;
 * </pre>
 *
 * {@code prints:} a text the block's output must hold (as written, no pattern), {@code exit:} the exit status of
 * its last command (0 when not said), {@code skip:} why it is not run, {@code server:} the block starts the server;
 * {@code problem-ok:} an answer with a 4xx/5xx problem is expected. The officer guide's walk-through also changes
 * files as the reader would before a command ({@code edit}, {@code with}, {@code append}, ...: see
 * {@code OfficerGuideTest}). Any other instruction is refused, so a typo cannot turn a check off.
 */
public final class DocBlocks {

    private static final Pattern FENCE = Pattern.compile("^\\s*```(\\w*)\\s*$");
    private static final Pattern DIRECTIVE = Pattern.compile("^([a-z-]+):\\s?(.*)$");
    private static final List<String> KNOWN = List.of("prints", "exit", "skip", "server", "problem-ok", "command",
            "mask", "edit", "with", "append", "write", "replace-lines", "with-replace-lines", "table-row", "with-cell");

    /** One instruction: its name and the text after the colon. */
    public record Directive(String name, String value) {
    }

    /** One block: where it starts (1-based line of its fence), its language, its text and its instructions. */
    public record Block(Path file, int line, String language, String text, List<Directive> directives) {

        public String where() {
            return file.getFileName() + ":" + line;
        }

        public List<String> all(String name) {
            return directives.stream().filter(d -> d.name().equals(name)).map(Directive::value).toList();
        }

        public Optional<String> first(String name) {
            return all(name).stream().findFirst();
        }

        public List<String> prints() {
            return all("prints");
        }

        /** The exit status the block's last command must have: 0 when not said. */
        public int exit() {
            return first("exit").map(String::trim).map(Integer::parseInt).orElse(0);
        }

        public Optional<String> skip() {
            return first("skip");
        }

        public Optional<String> server() {
            return first("server");
        }

        public boolean problemOk() {
            return first("problem-ok").isPresent();
        }
    }

    private DocBlocks() {
    }

    /** Every fenced block of the file, in order, with the instructions of the {@code <!-- test -->} above it. */
    public static List<Block> of(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        // a <!-- test comment whose --> is not right above a fence would be read as no instruction at all
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().startsWith("<!-- test")) {
                int end = i;
                while (end < lines.size() && !lines.get(end).contains("-->")) {
                    end++;
                }
                if (end == i || end + 1 >= lines.size() || !lines.get(end).trim().equals("-->")
                        || !FENCE.matcher(lines.get(end + 1)).matches()) {
                    throw new IllegalStateException(file + ":" + (i + 1) + ": a <!-- test comment must end with a "
                            + "line '-->' right above a code block's fence");
                }
            }
        }
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                continue;
            }
            int start = i;
            int indent = lines.get(i).indexOf('`');
            StringBuilder text = new StringBuilder();
            for (i++; i < lines.size() && !FENCE.matcher(lines.get(i)).matches(); i++) {
                String line = lines.get(i);
                int strip = 0;
                while (strip < indent && strip < line.length() && line.charAt(strip) == ' ') {
                    strip++;
                }
                text.append(line.substring(strip)).append('\n');
            }
            blocks.add(block(file, lines, start, open.group(1), text.toString()));
        }
        return blocks;
    }

    private static Block block(Path file, List<String> lines, int fence, String language, String text) {
        List<Directive> directives = new ArrayList<>();
        int end = fence - 1;
        if (end >= 0 && lines.get(end).trim().equals("-->")) {
            int begin = end - 1;
            while (begin >= 0 && !lines.get(begin).trim().equals("<!-- test")) {
                if (lines.get(begin).contains("-->") || lines.get(begin).contains("```")) {
                    throw new IllegalStateException(file + ":" + (fence + 1) + ": a comment above a block that is "
                            + "not <!-- test ... -->");
                }
                begin--;
            }
            if (begin < 0) {
                throw new IllegalStateException(file + ":" + (fence + 1) + ": no <!-- test above the block's -->");
            }
            for (String d : lines.subList(begin + 1, end)) {
                Matcher m = DIRECTIVE.matcher(d.trim());
                if (!m.matches() || !KNOWN.contains(m.group(1))) {
                    throw new IllegalStateException(file + ":" + (fence + 1) + ": unknown test instruction '" + d
                            + "' (known: " + KNOWN + ")");
                }
                directives.add(new Directive(m.group(1), m.group(2)));
            }
        }
        return new Block(file, fence + 1, language, text, List.copyOf(directives));
    }
}
