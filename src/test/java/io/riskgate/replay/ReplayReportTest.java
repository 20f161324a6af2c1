package io.riskgate.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The equity chart draws a long replay from a few thousand points without losing a dip or a peak. */
class ReplayReportTest {

    private static List<Replay.EquityPoint> flat(int n) {
        List<Replay.EquityPoint> c = new ArrayList<>();
        Instant t = Instant.parse("2025-01-01T00:00:00Z");
        for (int i = 0; i < n; i++) {
            c.add(new Replay.EquityPoint(t.plus(Duration.ofMinutes(5L * i)), 10_000 + (i % 7)));
        }
        return c;
    }

    @Test
    void aShortCurveIsDrawnPointByPoint() {
        // 3,600 points: four per pixel column of the 900-pixel chart, every one drawn
        List<Replay.EquityPoint> c = flat(3_600);
        assertThat(ReplayReport.plotted(c, new double[c.size()], false)).hasSize(3_600);
    }

    @Test
    void aYearOfFiveMinuteBarsKeepsItsLowestHighestAndDeepestPointsInTimeOrder() {
        // 105,120 points (a year of 5-minute bars) between 10,000 and 10,006, one dip to 9,000 at point 54,321 and
        // one peak of 11,000 at point 77,777: both are drawn, in order, from at most 2 x 1,800 + 2 points
        List<Replay.EquityPoint> c = new ArrayList<>(flat(105_120));
        c.set(54_321, new Replay.EquityPoint(c.get(54_321).at(), 9_000));
        c.set(77_777, new Replay.EquityPoint(c.get(77_777).at(), 11_000));
        double[] drawdown = new double[c.size()];
        drawdown[54_321] = 0.1; // the dip's drawdown: (10,000 - 9,000) / 10,000
        List<Integer> line = ReplayReport.plotted(c, drawdown, false);
        List<Integer> dd = ReplayReport.plotted(c, drawdown, true);
        assertThat(line).contains(0, 54_321, 77_777, 105_119).isSorted().doesNotHaveDuplicates()
                .hasSizeLessThanOrEqualTo(2 * 1_800 + 2);
        assertThat(dd).contains(54_321).isSorted().hasSizeLessThanOrEqualTo(1_800 + 2);
    }
}
