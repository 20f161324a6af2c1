package io.riskgate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.usermodel.XSSFCell;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * Writes a Drools decision table as an .xlsx workbook from CSV text in Drools' CSV table format, where cells
 * ending in "..." form one merged cell (as in a spreadsheet, so several condition columns share one pattern).
 * Used to produce the shipped tables and, in tests, spreadsheet variants.
 *
 * <p>{@code java -cp <test classpath> io.riskgate.testing.DecisionTableWorkbook in.csv out.drl.xlsx}
 */
public final class DecisionTableWorkbook {

    private DecisionTableWorkbook() {
    }

    public static void main(String[] args) throws IOException {
        Files.write(Path.of(args[1]), fromCsv(Files.readString(Path.of(args[0]))));
    }

    public static byte[] fromCsv(String csv) throws IOException {
        try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            XSSFSheet sheet = wb.createSheet("Tables");
            CellStyle bold = wb.createCellStyle();
            Font font = wb.createFont();
            font.setBold(true);
            bold.setFont(font);
            String[] lines = csv.split("\r?\n");
            int maxCols = 0;
            boolean labelRowNext = false;
            int rowsSinceHeader = -1;
            for (int r = 0; r < lines.length; r++) {
                List<String> cells = parse(lines[r]);
                maxCols = Math.max(maxCols, cells.size());
                XSSFRow row = sheet.createRow(r);
                int mergeStart = -1;
                for (int c = 0; c < cells.size(); c++) {
                    String text = cells.get(c);
                    boolean merged = text.endsWith("...");
                    if (merged) {
                        text = text.substring(0, text.length() - 3);
                        if (mergeStart < 0) {
                            mergeStart = c;
                        } else {
                            text = "";
                        }
                    } else if (mergeStart >= 0) {
                        addMerge(sheet, r, mergeStart, c - 1);
                        mergeStart = -1;
                    }
                    XSSFCell cell = row.createCell(c);
                    if (!text.isEmpty()) {
                        cell.setCellValue(text);
                    }
                    if (text.startsWith("RuleSet") || text.startsWith("RuleTable") || rowsSinceHeader == 0
                            || labelRowNext) {
                        cell.setCellStyle(bold);
                    }
                }
                if (mergeStart >= 0) {
                    addMerge(sheet, r, mergeStart, cells.size() - 1);
                }
                labelRowNext = false;
                if (!cells.isEmpty() && cells.get(0).startsWith("RuleTable")) {
                    rowsSinceHeader = 0;
                } else if (rowsSinceHeader >= 0) {
                    rowsSinceHeader++;
                    if (rowsSinceHeader == 2) {
                        labelRowNext = true;
                        rowsSinceHeader = -1;
                    }
                }
            }
            for (int c = 0; c < maxCols; c++) {
                sheet.setColumnWidth(c, 28 * 256);
            }
            wb.write(out);
            return out.toByteArray();
        }
    }

    private static void addMerge(XSSFSheet sheet, int row, int from, int to) {
        if (to > from) {
            sheet.addMergedRegion(new CellRangeAddress(row, row, from, to));
        }
    }

    /** Splits one CSV line as riskgate reads CSV tables (io.riskgate.rules.DecisionTableCells). */
    static List<String> parse(String line) {
        return io.riskgate.rules.DecisionTableCells.csvLine(line);
    }
}
