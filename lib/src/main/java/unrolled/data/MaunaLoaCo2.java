package unrolled.data;

import java.nio.file.Path;
import java.time.LocalDate;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DateColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * Monthly mean atmospheric CO2 at Mauna Loa Observatory, Hawaii, March 1958 to April 2020: a real series with a
 * rising trend and a yearly cycle, and a few months with no valid measurement.
 *
 * <p>Columns of {@link #load()}: {@code date} (the first of the month), {@code co2} (mole fraction in dry air, in
 * parts per million, µmol/mol) and {@code co2_adjusted} (the same with the seasonal cycle removed by the Scripps CO2
 * Program). 741 rows. The record has gaps: 1958-06, 1958-10 and 1964-02 … 1964-04 are missing (the station had no
 * valid data), so consecutive rows are not always one month apart; {@link #monthIndex(Table)} gives each row's
 * month counted from March 1958, which exposes the gaps.
 *
 * <p>Source: Scripps CO2 Program, in-situ record, via the vega-datasets npm package 3.2.1
 * ({@code data/co2-concentration.csv}). Licence: Creative Commons Attribution 4.0 — see {@code datasets/README.md}.
 */
public final class MaunaLoaCo2 {

    /** The file inside the datasets folder. */
    public static final String FILE = "co2/mauna-loa-co2-monthly.csv";

    /** The sha256 recorded in {@code datasets/README.md}. */
    public static final String SHA256 = "c1a4a970864145940a28225cae288618b156cb32f9a2a1b6606ba7124134febb";

    /** The first month of the record. */
    public static final LocalDate FIRST_MONTH = LocalDate.of(1958, 3, 1);

    private MaunaLoaCo2() {
    }

    /**
     * The whole record, checked against its sha256.
     *
     * @return 741 rows with columns {@code date}, {@code co2} (ppm) and {@code co2_adjusted} (ppm), in time order
     * @throws IllegalStateException if the file is missing or altered
     */
    public static Table load() {
        Path file = DatasetFile.verified(FILE, SHA256);
        Table raw = Table.read().csv(CsvReadOptions.builder(file.toFile())
                .columnTypes(new ColumnType[] {ColumnType.LOCAL_DATE, ColumnType.DOUBLE, ColumnType.DOUBLE})
                .tableName("Mauna Loa CO2, monthly"));
        DateColumn date = raw.dateColumn(0).copy().setName("date");
        DoubleColumn co2 = raw.doubleColumn(1).copy().setName("co2");
        DoubleColumn adjusted = raw.doubleColumn(2).copy().setName("co2_adjusted");
        return Table.create("Mauna Loa CO2, monthly (ppm)", date, co2, adjusted);
    }

    /**
     * The CO2 values of a table from {@link #load()}, in time order.
     *
     * @param table a table with a {@code co2} column
     * @return the values in ppm, one per row
     */
    public static double[] co2(Table table) {
        return table.doubleColumn("co2").asDoubleArray();
    }

    /**
     * Each row's month counted from March 1958 (month 0); a difference of more than 1 between consecutive rows is a
     * gap in the record.
     *
     * @param table a table with a {@code date} column
     * @return one month index per row
     */
    public static int[] monthIndex(Table table) {
        DateColumn date = table.dateColumn("date");
        int[] months = new int[date.size()];
        int first = FIRST_MONTH.getYear() * 12 + FIRST_MONTH.getMonthValue() - 1;
        for (int i = 0; i < months.length; i++) {
            LocalDate d = date.get(i);
            months[i] = d.getYear() * 12 + d.getMonthValue() - 1 - first;
        }
        return months;
    }
}
