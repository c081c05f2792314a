package unrolled.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class SensorNetworkTest {

    @Test
    void loadsTheSingleHopDeploymentWithTheSourcesColumnsAndFirstRow() {
        Table table = SensorNetwork.load(SensorNetwork.Deployment.SINGLE_HOP);
        // data.csv has 18,915 lines: the header and 18,914 readings.
        assertEquals(18_914, table.rowCount());
        assertEquals(List.of("reading", "mote_id", "indoor", "humidity", "temperature", "label"), table.columnNames());
        // First data line of the shipped CSV: 1,1,1,45.93,27.97,0
        assertEquals(45.93, table.doubleColumn("humidity").get(0), 1e-12);
        assertEquals(27.97, table.doubleColumn("temperature").get(0), 1e-12);
        assertArrayEquals(new int[] {1, 2, 3, 4}, SensorNetwork.motes(table));
    }

    @Test
    void eachDeploymentHasTwoMotesWithOneContiguousLabelledEvent() {
        int[][] expectedCounts = {{117, 0, 0, 32}, {58, 0, 100, 0}};
        SensorNetwork.Deployment[] deployments = SensorNetwork.Deployment.values();
        for (int d = 0; d < deployments.length; d++) {
            Table table = SensorNetwork.load(deployments[d]);
            for (int mote : SensorNetwork.motes(table)) {
                boolean[] labels = SensorNetwork.labels(table, mote);
                int count = 0;
                int starts = 0;
                for (int t = 0; t < labels.length; t++) {
                    count += labels[t] ? 1 : 0;
                    starts += labels[t] && (t == 0 || !labels[t - 1]) ? 1 : 0;
                }
                assertEquals(expectedCounts[d][mote - 1], count, deployments[d] + " mote " + mote);
                assertEquals(count > 0 ? 1 : 0, starts, deployments[d] + " mote " + mote + " events");
            }
        }
    }

    @Test
    void seriesHoldsHumidityThenTemperatureInReadingOrder() {
        Table table = SensorNetwork.load(SensorNetwork.Deployment.MULTI_HOP);
        double[][] series = SensorNetwork.series(table, 1);
        assertEquals(4690, series.length);
        assertEquals(series.length, SensorNetwork.labels(table, 1).length);
        // First data line of the multi-hop CSV: 1,1,0,43.82,30.21,0
        assertArrayEquals(new double[] {43.82, 30.21}, series[0], 1e-12);
        // During the event on mote 1 the humidity rises far above its normal level.
        double peak = 0;
        for (double[] reading : series) {
            peak = Math.max(peak, reading[0]);
        }
        assertTrue(peak > 90, "peak humidity " + peak);
    }

    @Test
    void anUnknownMoteIsRefusedNamingTheMotesThatExist() {
        Table table = SensorNetwork.load(SensorNetwork.Deployment.SINGLE_HOP);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SensorNetwork.series(table, 7));
        assertEquals("SensorNetwork.mote: moteId must be one of [1, 2, 3, 4], but is 7.", e.getMessage());
    }
}
