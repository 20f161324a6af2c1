package io.riskgate;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskgate.cli.RiskgateCli;
import io.riskgate.testing.DocBlocks;
import io.riskgate.testing.DocShell;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;
import org.apache.poi.ss.util.CellReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The risk-officer guide walked through as an officer would (issue 16, "docs that run"): in a working copy of the
 * shipped {@code policies/} and {@code rules/}, each file change the guide describes is made and each
 * {@code $ riskgate ...} command it shows is run (the CLI in-process, as the jar's main class runs it), and what the
 * guide says it prints is compared with what it prints, line for line ({@code ...} stands for any lines). So a
 * changed message, line number, rule count, scenario count or sha256 fails here, not in an officer's hands.
 *
 * <p>What to do with each block is written above it in the guide, in an HTML comment ({@link DocBlocks}):
 * <ul>
 *   <li>{@code edit: FILE: OLD => NEW} replaces text in a file of the working copy for good ({@code \n} is a line
 *       break); {@code with: FILE: OLD => NEW} only until the next command has run;</li>
 *   <li>{@code append: FILE}, {@code write: FILE}: the block's text appended to (after a blank line), or written as,
 *       the file; {@code replace-lines: FILE: FIRST | LAST} (and {@code with-replace-lines}) puts the block's text
 *       in place of the lines from the first holding FIRST to the next holding LAST;</li>
 *   <li>{@code table-row: FILE: A | B | ...} types a row under a decision table's last row; {@code with-cell: FILE:
 *       C10 = 0.9} changes one cell until the next command has run;</li>
 *   <li>{@code command:} the command of a block that shows only output; {@code exit:} its exit status;
 *       {@code mask: sha256} compares the fingerprints as "some sha256" (a spreadsheet saved by another program has
 *       other bytes); {@code skip:} why the block is not run.</li>
 * </ul>
 * A {@code $} block with no comment fails the test: every command the guide shows is run or says why not.
 */
class OfficerGuideTest {

    private static final Path GUIDE = Path.of("docs/risk-officer-guide.md");
    private static final Pattern SHA256 = Pattern.compile("\\b[0-9a-f]{64}\\b");
    /** A log line a library wrote to the console while the command ran: not the command's output. */
    private static final Pattern LOG_LINE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*");

    @TempDir
    Path work;

    private final Map<Path, byte[]> undo = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();

    @Test
    void theGuidesCommandsPrintWhatTheGuideSays() throws Exception {
        for (String dir : List.of("policies", "rules")) {
            DocShell.copyTree(Path.of(dir), work.resolve(dir));
        }
        int run = 0;
        for (DocBlocks.Block b : DocBlocks.of(GUIDE)) {
            boolean transcript = b.text().stripLeading().startsWith("$ ");
            if (b.directives().isEmpty()) {
                if (transcript) {
                    failures.add(b.where() + ": a command the guide shows is neither run by this test nor skipped "
                            + "with a reason (<!-- test ... skip: why -->)");
                }
                continue;
            }
            if (b.skip().isPresent()) {
                if (b.skip().get().isBlank()) {
                    failures.add(b.where() + ": a skip says why");
                }
                continue;
            }
            change(b);
            if (transcript || b.first("command").isPresent()) {
                compare(b);
                restore();
                run++;
            }
        }
        assertThat(failures).as("where the guide and the software disagree").isEmpty();
        assertThat(run).as("commands of the guide run").isGreaterThanOrEqualTo(15);
    }

    // ---- changing the working copy as the guide says

    private void change(DocBlocks.Block b) throws IOException {
        for (DocBlocks.Directive d : b.directives()) {
            boolean temporary = d.name().startsWith("with");
            switch (d.name()) {
                case "edit", "with" -> {
                    String[] fileAndEdit = splitFile(d.value());
                    String[] oldNew = fileAndEdit[1].split(" => ", 2);
                    Path f = file(fileAndEdit[0], temporary);
                    String text = Files.readString(f);
                    String old = unescape(oldNew[0]);
                    if (!text.contains(old)) {
                        failures.add(b.where() + ": " + fileAndEdit[0] + " holds no '" + old + "' to change");
                        continue;
                    }
                    Files.writeString(f, text.replace(old, unescape(oldNew[1])));
                }
                case "append" -> {
                    Path f = file(d.value().trim(), false);
                    Files.writeString(f, Files.readString(f) + "\n" + b.text());
                }
                case "write" -> Files.writeString(file(d.value().trim(), false), b.text());
                case "replace-lines", "with-replace-lines" -> {
                    String[] fileAndRange = splitFile(d.value());
                    String[] firstLast = fileAndRange[1].split(" \\| ", 2);
                    Path f = file(fileAndRange[0], temporary);
                    List<String> lines = new ArrayList<>(Files.readAllLines(f));
                    int first = indexOf(lines, firstLast[0], 0);
                    int last = first < 0 ? -1 : indexOf(lines, firstLast[1], first);
                    if (last < 0) {
                        failures.add(b.where() + ": " + fileAndRange[0] + " has no lines from '" + firstLast[0]
                                + "' to '" + firstLast[1] + "'");
                        continue;
                    }
                    lines.subList(first, last + 1).clear();
                    lines.addAll(first, b.text().lines().toList());
                    Files.writeString(f, String.join("\n", lines) + "\n");
                }
                case "table-row" -> {
                    String[] fileAndRow = splitFile(d.value());
                    editTable(file(fileAndRow[0], false), sheet -> {
                        int next = sheet.getLastRowNum() + 1;
                        Row row = sheet.createRow(next);
                        String[] cells = fileAndRow[1].split("\\|", -1);
                        for (int i = 0; i < cells.length; i++) {
                            setCell(row.createCell(i), cells[i].trim());
                        }
                    });
                }
                case "with-cell" -> {
                    String[] fileAndCell = splitFile(d.value());
                    String[] refValue = fileAndCell[1].split("=", 2);
                    CellReference ref = new CellReference(refValue[0].trim());
                    editTable(file(fileAndCell[0], true), sheet -> setCell(
                            sheet.getRow(ref.getRow()).getCell(ref.getCol()), refValue[1].trim()));
                }
                default -> {
                    // prints, exit, command, mask: read when the command runs
                }
            }
        }
    }

    private static String[] splitFile(String value) {
        int colon = value.indexOf(": ");
        return new String[] {value.substring(0, colon).trim(), value.substring(colon + 2)};
    }

    private static String unescape(String s) {
        return s.replace("\\n", "\n");
    }

    private static int indexOf(List<String> lines, String text, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    /** The working copy's file; its bytes kept first when the change lasts only until the next command. */
    private Path file(String relative, boolean temporary) throws IOException {
        Path f = work.resolve(relative).normalize();
        assertThat(f.startsWith(work)).as(relative).isTrue();
        if (temporary && !undo.containsKey(f)) {
            undo.put(f, Files.readAllBytes(f));
        }
        return f;
    }

    private void restore() throws IOException {
        for (Map.Entry<Path, byte[]> e : undo.entrySet()) {
            Files.write(e.getKey(), e.getValue());
        }
        undo.clear();
    }

    private interface SheetEdit {
        void apply(Sheet sheet) throws IOException;
    }

    private static void editTable(Path xlsx, SheetEdit edit) throws IOException {
        Workbook book;
        try (InputStream in = Files.newInputStream(xlsx)) {
            book = WorkbookFactory.create(in);
        }
        edit.apply(book.getSheetAt(0));
        try (OutputStream out = Files.newOutputStream(xlsx)) {
            book.write(out);
        }
        book.close();
    }

    /** A number where the text is one (as a spreadsheet stores what is typed), else the text; blank: no value. */
    private static void setCell(Cell cell, String text) {
        if (text.isEmpty()) {
            cell.setBlank();
            return;
        }
        try {
            cell.setCellValue(Double.parseDouble(text));
        } catch (NumberFormatException notANumber) {
            cell.setCellValue(text);
        }
    }

    // ---- running a command and comparing what it prints

    private void compare(DocBlocks.Block b) {
        List<String> expected = new ArrayList<>();
        List<String> commands = new ArrayList<>();
        b.first("command").ifPresent(commands::add);
        StringBuilder pending = null;
        for (String line : b.text().lines().toList()) {
            if (pending != null) {
                pending.append(' ').append(line.strip());
            } else if (line.startsWith("$ ")) {
                pending = new StringBuilder(line.substring(2).strip());
            } else {
                expected.add(line);
                continue;
            }
            if (pending.toString().endsWith("\\")) {
                pending.setLength(pending.length() - 1);
            } else {
                commands.add(pending.toString().strip());
                pending = null;
            }
        }
        if (commands.size() != 1) {
            failures.add(b.where() + ": runs " + commands + ": one riskgate command per block is run");
            return;
        }
        Run r = riskgate(commands.get(0));
        if (r == null) {
            failures.add(b.where() + ": '" + commands.get(0) + "' is not a riskgate command this test runs: skip it "
                    + "with a reason");
            return;
        }
        boolean mask = b.first("mask").map(m -> m.trim().equals("sha256")).orElse(false);
        List<String> want = trimmed(expected.stream().map(l -> normalise(l, mask)).toList());
        List<String> got = trimmed(r.output().lines().filter(l -> !LOG_LINE.matcher(l).matches())
                .map(l -> normalise(l, mask)).toList());
        if (!matches(want, 0, got, 0)) {
            failures.add(b.where() + ": '" + commands.get(0) + "' printed\n" + String.join("\n", got)
                    + "\n--- the guide says\n" + String.join("\n", want));
        }
        if (r.exit() != b.exit()) {
            failures.add(b.where() + ": exited " + r.exit() + ", the guide says " + b.exit());
        }
    }

    /** Without the blank lines at the end. */
    private static List<String> trimmed(List<String> lines) {
        int end = lines.size();
        while (end > 0 && lines.get(end - 1).isBlank()) {
            end--;
        }
        return lines.subList(0, end);
    }

    private static String normalise(String line, boolean mask) {
        String l = line.stripTrailing();
        return mask ? SHA256.matcher(l).replaceAll("<sha256>") : l;
    }

    /** Line for line, where the guide's "..." stands for any number of lines. */
    private static boolean matches(List<String> want, int i, List<String> got, int j) {
        if (i == want.size()) {
            return j == got.size();
        }
        if (want.get(i).strip().equals("...")) {
            for (int k = j; k <= got.size(); k++) {
                if (matches(want, i + 1, got, k)) {
                    return true;
                }
            }
            return false;
        }
        return j < got.size() && want.get(i).equals(got.get(j)) && matches(want, i + 1, got, j + 1);
    }

    private record Run(int exit, String output) {
    }

    /**
     * {@code riskgate ARGS} as the guide runs it from the working copy: the CLI's default directories ({@code
     * ./policies}, {@code ./rules}) and relative paths made the working copy's. Null for anything else.
     */
    private Run riskgate(String command) {
        List<String> words = new ArrayList<>(Arrays.asList(command.split("\\s+")));
        if (words.size() < 3 || !words.get(0).equals("riskgate")) {
            return null;
        }
        List<String> args = new ArrayList<>(words.subList(1, words.size()));
        if (args.get(0).equals("policy") && List.of("validate", "test").contains(args.get(1))) {
            if (args.size() == 2) {
                args.add(work.resolve("policies").toString());
                args.add("--rules");
                args.add(work.resolve("rules").toString());
            }
        } else if (args.get(0).equals("rules") && args.get(1).equals("show") && args.size() == 3) {
            args.set(2, work.resolve(args.get(2)).toString());
        } else {
            return null;
        }
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(both, true, StandardCharsets.UTF_8);
        try {
            System.setOut(capture);
            System.setErr(capture);
            int exit = RiskgateCli.run(args.toArray(String[]::new));
            return new Run(exit, both.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
