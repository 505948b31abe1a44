package io.dmarclens.web.pages;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a chart on a page fetches from the API: category labels and named series. The page script turns
 * it into a Chart.js chart; colours follow the series names.
 */
public record ChartData(List<String> labels, List<Series> datasets, String unit) {

    /** One named series of numbers, one per label. */
    public record Series(String label, List<Number> data) {
    }

    /** One series per name over every day of the range, zeros where the store had no row. */
    public static <T> ChartData daily(LocalDate from, LocalDate to, Map<LocalDate, T> byDay,
                                      List<String> names, List<Function<T, Number>> values, String unit) {
        List<String> labels = new ArrayList<>();
        List<List<Number>> data = new ArrayList<>();
        names.forEach(n -> data.add(new ArrayList<>()));
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            labels.add(d.toString());
            T row = byDay.get(d);
            for (int i = 0; i < names.size(); i++) {
                data.get(i).add(row == null ? 0 : values.get(i).apply(row));
            }
        }
        List<Series> series = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            series.add(new Series(names.get(i), data.get(i)));
        }
        return new ChartData(labels, series, unit);
    }
}
