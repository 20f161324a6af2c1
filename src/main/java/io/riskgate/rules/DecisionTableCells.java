package io.riskgate.rules;

import io.riskgate.policy.PolicyProblem;
import io.riskgate.policy.RuleFileKind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;

/**
 * A decision table read as the officer sees it: cells by sheet, row and column. Checks what Drools would report
 * late or obscurely (by a line of generated DRL) and names the cell instead: Office smart quotes, an empty code or
 * category cell, a number column holding text. Also prints the rows as plain text for {@code riskgate rules show}.
 */
public final class DecisionTableCells {

    private static final String SMART_QUOTES = "\u2018\u2019\u201A\u201B\u201C\u201D\u201E\u201F\u2032\u2033";

    /** One table: its name, keyword row, snippets, labels and data rows (1-based row numbers, column letters). */
    private record Table(String sheet, String name, int labelRow, List<String> keywords, List<String> snippets,
                         List<String> labels, List<Integer> rowNumbers, List<List<String>> rows) {
    }

    private DecisionTableCells() {
    }

    /** Every problem of every cell, by sheet, row and column. */
    public static List<PolicyProblem> problems(String fileName, byte[] content) {
        List<PolicyProblem> out = new ArrayList<>();
        List<List<String>> grid;
        String sheet;
        try {
            Grid g = grid(fileName, content);
            grid = g.cells();
            sheet = g.sheet();
        } catch (IOException | RuntimeException e) {
            out.add(new PolicyProblem(fileName, "", 0, "cannot read the table: " + e.getMessage()));
            return out;
        }
        for (int r = 0; r < grid.size(); r++) {
            List<String> row = grid.get(r);
            for (int c = 0; c < row.size(); c++) {
                String v = row.get(c);
                for (char q : SMART_QUOTES.toCharArray()) {
                    if (v.indexOf(q) >= 0) {
                        out.add(problem(fileName, sheet, r + 1, c, "holds the Office smart quote '" + q
                                + "': type a plain quote (\" or ') instead - Drools cannot read smart quotes"));
                        break;
                    }
                }
            }
        }
        for (Table t : tables(grid, sheet)) {
            for (int i = 0; i < t.rows().size(); i++) {
                List<String> row = t.rows().get(i);
                int rowNumber = t.rowNumbers().get(i);
                for (int c = 0; c < t.keywords().size(); c++) {
                    String keyword = t.keywords().get(c).toUpperCase(Locale.ROOT);
                    String value = c < row.size() ? row.get(c).trim() : "";
                    String label = c < t.labels().size() && !t.labels().get(c).isBlank() ? t.labels().get(c) : keyword;
                    String snippet = c < t.snippets().size() ? t.snippets().get(c) : "";
                    if (keyword.equals("METADATA") && value.isEmpty()) {
                        out.add(problem(fileName, sheet, rowNumber, c, "(" + label + ") is empty: every row needs its "
                                + "code and category"));
                    } else if ((keyword.equals("CONDITION") || keyword.equals("ACTION")) && !value.isEmpty()
                            && numeric(snippet) && !isNumbers(value)) {
                        out.add(problem(fileName, sheet, rowNumber, c, "(" + label + ") must be a number (or true/false),"
                                + " was '" + value + "'"));
                    }
                }
            }
        }
        return out;
    }

    /** The tables' rows as plain text: one line per rule, label = value. */
    public static String rowsAsText(String fileName, byte[] content) throws IOException {
        Grid g = grid(fileName, content);
        StringBuilder out = new StringBuilder();
        for (Table t : tables(g.cells(), g.sheet())) {
            out.append("Table '").append(t.name()).append("' (sheet ").append(t.sheet()).append(")\n");
            for (int i = 0; i < t.rows().size(); i++) {
                List<String> row = t.rows().get(i);
                out.append("  row ").append(t.rowNumbers().get(i)).append(":");
                for (int c = 0; c < t.keywords().size(); c++) {
                    String value = c < row.size() ? row.get(c).trim() : "";
                    String label = c < t.labels().size() && !t.labels().get(c).isBlank() ? t.labels().get(c)
                            : t.keywords().get(c);
                    out.append(c == 0 ? " " : " | ").append(label).append(" = ").append(value.isEmpty() ? "-" : value);
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** A snippet whose $param is compared or passed as a number (not quoted, not a list of words). */
    private static boolean numeric(String snippet) {
        return snippet.contains("$param") && !snippet.contains("\"$param\"") && !snippet.contains("'$param'")
                && !snippet.trim().startsWith("code(") && !snippet.trim().startsWith("category(");
    }

    /** Numbers (several, comma-separated, for $1, $2 snippets) or a boolean: what an unquoted $param takes. */
    private static boolean isNumbers(String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return true;
        }
        for (String part : value.split(",")) {
            try {
                Double.parseDouble(part.trim());
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    private static PolicyProblem problem(String file, String sheet, int row, int column, String message) {
        String col = column(column);
        return new PolicyProblem(file, "sheet '" + sheet + "' cell " + col + row, row, "cell " + col + row
                + " (row " + row + ", column " + col + ") " + message);
    }

    static String column(int c) {
        StringBuilder s = new StringBuilder();
        for (int n = c + 1; n > 0; n = (n - 1) / 26) {
            s.insert(0, (char) ('A' + (n - 1) % 26));
        }
        return s.toString();
    }

    /**
     * The tables of a sheet: a cell "RuleTable <name>", then the keyword row, the object row, the snippet row and
     * the label row; the data rows follow until an empty row. Columns start at the RuleTable cell's column.
     */
    private static List<Table> tables(List<List<String>> grid, String sheet) {
        List<Table> out = new ArrayList<>();
        for (int r = 0; r < grid.size(); r++) {
            List<String> row = grid.get(r);
            for (int c = 0; c < row.size(); c++) {
                String v = row.get(c).trim();
                if (!v.toLowerCase(Locale.ROOT).startsWith("ruletable") || r + 4 >= grid.size()) {
                    continue;
                }
                List<String> keywords = from(grid.get(r + 1), c);
                List<String> snippets = from(grid.get(r + 3), c);
                List<String> labels = from(grid.get(r + 4), c);
                List<Integer> numbers = new ArrayList<>();
                List<List<String>> rows = new ArrayList<>();
                for (int d = r + 5; d < grid.size(); d++) {
                    List<String> data = from(grid.get(d), c);
                    if (data.stream().allMatch(String::isBlank)) {
                        break;
                    }
                    numbers.add(d + 1);
                    rows.add(data);
                }
                out.add(new Table(sheet, v.substring("ruletable".length()).trim(), r + 5, keywords, snippets, labels,
                        numbers, rows));
            }
        }
        return out;
    }

    private static List<String> from(List<String> row, int c) {
        return c >= row.size() ? List.of() : row.subList(c, row.size());
    }

    private record Grid(String sheet, List<List<String>> cells) {
    }

    private static Grid grid(String fileName, byte[] content) throws IOException {
        RuleFileKind kind = RuleFileKind.of(fileName);
        List<List<String>> cells = new ArrayList<>();
        if (kind == RuleFileKind.CSV) {
            for (String line : new String(content, StandardCharsets.UTF_8).split("\r?\n")) {
                cells.add(csvLine(line));
            }
            return new Grid("csv", cells);
        }
        try (Workbook wb = WorkbookFactory.create(new ByteArrayInputStream(content))) {
            Sheet sheet = wb.getSheetAt(0);
            DataFormatter format = new DataFormatter(Locale.ROOT);
            for (int r = 0; r <= sheet.getLastRowNum(); r++) {
                Row row = sheet.getRow(r);
                List<String> out = new ArrayList<>();
                if (row != null) {
                    for (int c = 0; c < row.getLastCellNum(); c++) {
                        Cell cell = row.getCell(c);
                        out.add(cell == null ? "" : format.formatCellValue(cell));
                    }
                }
                cells.add(out);
            }
            return new Grid(sheet.getSheetName(), cells);
        }
    }

    /** One CSV line: commas separate, double quotes quote, "" is a literal quote. */
    public static List<String> csvLine(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
