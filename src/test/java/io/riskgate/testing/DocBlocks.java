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
 * {@code problem-ok:} an answer with a 4xx/5xx problem is expected. Any other instruction is refused, so a typo cannot
 * turn a check off.
 */
public final class DocBlocks {

    private static final Pattern FENCE = Pattern.compile("^\\s*```(\\w*)\\s*$");
    private static final Pattern DIRECTIVE = Pattern.compile("^(prints|exit|skip|server|problem-ok):\\s?(.*)$");

    /** One block: where it starts (1-based line of its fence), its language, its text and its instructions. */
    public record Block(Path file, int line, String language, String text, List<String> prints, int exit,
                        Optional<String> skip, Optional<String> server, boolean problemOk) {

        public String where() {
            return file.getFileName() + ":" + line;
        }
    }

    private DocBlocks() {
    }

    /** Every fenced block of the file, in order, with the instructions of the {@code <!-- test -->} above it. */
    public static List<Block> of(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                continue;
            }
            int start = i;
            StringBuilder text = new StringBuilder();
            for (i++; i < lines.size() && !FENCE.matcher(lines.get(i)).matches(); i++) {
                text.append(lines.get(i)).append('\n');
            }
            blocks.add(block(file, lines, start, open.group(1), text.toString()));
        }
        return blocks;
    }

    private static Block block(Path file, List<String> lines, int fence, String language, String text) {
        List<String> prints = new ArrayList<>();
        int exit = 0;
        Optional<String> skip = Optional.empty();
        Optional<String> server = Optional.empty();
        boolean problemOk = false;
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
                if (!m.matches()) {
                    throw new IllegalStateException(file + ":" + (fence + 1) + ": unknown test instruction '" + d
                            + "' (known: prints, exit, skip, server, problem-ok)");
                }
                switch (m.group(1)) {
                    case "prints" -> prints.add(m.group(2));
                    case "exit" -> exit = Integer.parseInt(m.group(2).trim());
                    case "skip" -> skip = Optional.of(m.group(2));
                    case "server" -> server = Optional.of(m.group(2));
                    default -> problemOk = true;
                }
            }
        }
        return new Block(file, fence + 1, language, text, List.copyOf(prints), exit, skip, server, problemOk);
    }
}
