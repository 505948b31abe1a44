package io.dmarclens.alerts.digest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmarclens.alerts.delivery.MailChannel;
import io.dmarclens.store.alerts.Notice;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The digest's chart, drawn on the server as a PNG (scripts do not run in mail): messages per day as bars,
 * the DMARC pass rate as a line on its own 0-100 % axis. Drawn from the series in the digest's JSON, so
 * the mail channel can draw it again on every attempt and the outbox holds only text.
 */
public final class DigestChart implements MailChannel.InlineImages {
    /** The content id the digest's HTML refers to ({@code cid:digest-chart.png}). */
    public static final String CONTENT_ID = "digest-chart.png";
    static final int WIDTH = 600;
    static final int HEIGHT = 220;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Map<String, byte[]> of(Notice notice) {
        if (notice.kind() != Notice.Kind.DIGEST) {
            return Map.of();
        }
        try {
            JsonNode chart = JSON.readTree(notice.json()).path("chart");
            return chart.isMissingNode() ? Map.of() : Map.of(CONTENT_ID, png(chart));
        } catch (IOException e) {
            throw new UncheckedIOException("a digest in the outbox holds unreadable JSON", e);
        }
    }

    /** The PNG of {@code {"days": [...], "messages": [...], "pass_rate": [...]}} (rates 0 to 100). */
    static byte[] png(JsonNode chart) {
        DefaultCategoryDataset volume = new DefaultCategoryDataset();
        DefaultCategoryDataset rate = new DefaultCategoryDataset();
        JsonNode days = chart.path("days");
        for (int i = 0; i < days.size(); i++) {
            String day = days.get(i).asText();
            String label = day.length() >= 10 ? day.substring(5) : day;
            volume.addValue(chart.path("messages").path(i).asLong(), "Messages", label);
            rate.addValue(chart.path("pass_rate").path(i).asDouble(), "DMARC pass %", label);
        }
        CategoryPlot plot = new CategoryPlot();
        plot.setDataset(0, volume);
        BarRenderer bars = new BarRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setSeriesPaint(0, new Color(0x93, 0xc5, 0xfd));
        bars.setMaximumBarWidth(0.08);
        plot.setRenderer(0, bars);
        CategoryAxis x = new CategoryAxis();
        x.setCategoryLabelPositions(days.size() > 10 ? CategoryLabelPositions.UP_45 : CategoryLabelPositions.STANDARD);
        x.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        plot.setDomainAxis(x);
        NumberAxis messages = new NumberAxis("Messages");
        messages.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        plot.setRangeAxis(0, messages);

        plot.setDataset(1, rate);
        LineAndShapeRenderer line = new LineAndShapeRenderer(true, true);
        line.setSeriesPaint(0, new Color(0x16, 0xa3, 0x4a));
        line.setSeriesStroke(0, new BasicStroke(2.5f));
        plot.setRenderer(1, line);
        NumberAxis percent = new NumberAxis("Pass %");
        percent.setRange(0, 100);
        plot.setRangeAxis(1, percent);
        plot.mapDatasetToRangeAxis(1, 1);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xe5, 0xe7, 0xeb));

        JFreeChart chart2 = new JFreeChart(null, new Font(Font.SANS_SERIF, Font.BOLD, 12), plot, true);
        chart2.setBackgroundPaint(Color.WHITE);
        BufferedImage image = chart2.createBufferedImage(WIDTH, HEIGHT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
