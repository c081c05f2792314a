package unrolled.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Arc2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The whiteboard drawings of the curriculum, drawn with Java2D: an RNN unrolled in time with its forward and
 * backward (BPTT) flows, and the insides of an LSTM and a GRU cell, each with its equations. They are the
 * answer key to "draw an RNN / an LSTM for me" in an interview.
 *
 * <p>Every diagram is {@link #WIDTH} × {@link #HEIGHT} pixels on white, with text of at least 12 px, so it
 * reads in a notebook column or on a slide 800 px wide. Labels use the curriculum's symbols, with real
 * subscripts: x_t inputs, h_t hidden states, c_t LSTM cell states, y_t outputs, L_t per-step losses.
 */
public final class Diagrams {

    /** Width of every diagram, in pixels. */
    public static final int WIDTH = 800;
    /** Height of every diagram, in pixels. */
    public static final int HEIGHT = 600;
    /** The most time steps {@link #unrolledRnn} draws: beyond 12 the boxes become too small to read. */
    public static final int MAX_STEPS = 12;

    private static final Color INK = new Color(0x222222);
    private static final Color GRADIENT = new Color(0xD62728);
    private static final Color HIGHWAY = new Color(0x1F4E9A);
    private static final Color INPUT_FILL = new Color(0xE5F5E0);
    private static final Color INPUT_EDGE = new Color(0x31A354);
    private static final Color HIDDEN_FILL = new Color(0xDEEBF7);
    private static final Color HIDDEN_EDGE = new Color(0x3182BD);
    private static final Color OUTPUT_FILL = new Color(0xFEE6CE);
    private static final Color OUTPUT_EDGE = new Color(0xE6550D);
    private static final Color LOSS_FILL = new Color(0xFCE4EC);
    private static final Color SIGMOID_FILL = new Color(0xFFF2CC);
    private static final Color SIGMOID_EDGE = new Color(0xBF9000);
    private static final Color TANH_FILL = new Color(0xE8DAEF);
    private static final Color TANH_EDGE = new Color(0x7D3C98);
    private static final Color CELL_FILL = new Color(0xF7F7F7);
    private static final String FAMILY = Font.SANS_SERIF;

    private Diagrams() {
    }

    /**
     * The vanilla RNN unrolled over T steps: inputs x_t at the bottom, hidden states h_t in boxes, outputs y_t
     * and per-step losses L_t above; solid arrows for the forward pass, labelled with the shared weights W_x
     * (input to hidden), W_h (hidden to hidden) and W_y (hidden to output); dashed red arrows for the backward
     * pass, from each L_t down to h_t and back along the chain h_t → h_{t−1}; a legend with the equations.
     *
     * @param steps T, from 1 to {@link #MAX_STEPS}
     * @return the diagram, {@link #WIDTH} × {@link #HEIGHT}
     */
    public static BufferedImage unrolledRnn(int steps) {
        if (steps < 1 || steps > MAX_STEPS) {
            throw new IllegalArgumentException("Diagrams.unrolledRnn: steps must be between 1 and " + MAX_STEPS
                    + " (more would not be readable " + WIDTH + " px wide), but is " + steps + ".");
        }
        return diagram("An RNN unrolled over T = " + steps + (steps == 1 ? " time step" : " time steps"), g -> {

            // Columns: h_0 on the left, then one column per step, centred on the page.
            double maxPitch = 150;
            double boxWidth = Math.min(64, 0.62 * Math.min(maxPitch, (WIDTH - 60.0) / (steps + 1)));
            double pitch = Math.min(maxPitch, (WIDTH - 60.0 - boxWidth) / steps);
            double left = (WIDTH - steps * pitch) / 2.0;
            double boxHeight = 44;
            double yLoss = 88;
            double yOutput = 178;
            double yHidden = 292;
            double yInput = 406;
            float fontSize = steps <= 8 ? 17f : 15f;
            float weightSize = steps <= 8 ? 14f : 12f;
            double offset = Math.min(9, boxWidth / 5);

            // h_0, the initial state.
            box(g, left, yHidden, boxWidth, boxHeight, new Color(0xEEEEEE), Color.GRAY, fontSize, "h_0");
            for (int t = 1; t <= steps; t++) {
                double x = left + t * pitch;
                String s = "{" + t + "}";
                // Forward: x_t → h_t (W_x), h_{t−1} → h_t (W_h), h_t → y_t (W_y), y_t → L_t.
                arrow(g, INK, false, x - offset, yInput - boxHeight / 2, x - offset, yHidden + boxHeight / 2);
                text(g, "W_x", x - offset - 4, (yInput + yHidden) / 2 + 5, weightSize, INK, Anchor.RIGHT);
                arrow(g, INK, false, x - offset, yHidden - boxHeight / 2, x - offset, yOutput + boxHeight / 2);
                text(g, "W_y", x - offset - 4, (yHidden + yOutput) / 2 + 5, weightSize, INK, Anchor.RIGHT);
                arrow(g, INK, false, x - offset, yOutput - boxHeight / 2, x - offset, yLoss + 20);
                double previousRight = left + (t - 1) * pitch + boxWidth / 2;
                arrow(g, INK, false, previousRight, yHidden - 6, x - boxWidth / 2, yHidden - 6);
                text(g, "W_h", (previousRight + x - boxWidth / 2) / 2, yHidden - 13, weightSize, INK, Anchor.CENTRE);
                // Backward: L_t → y_t → h_t, and h_t → h_{t−1} along the chain.
                arrow(g, GRADIENT, true, x + offset, yLoss + 20, x + offset, yOutput - boxHeight / 2);
                arrow(g, GRADIENT, true, x + offset, yOutput + boxHeight / 2, x + offset, yHidden - boxHeight / 2);
                arrow(g, GRADIENT, true, x - boxWidth / 2, yHidden + 10, previousRight, yHidden + 10);

                box(g, x, yInput, boxWidth, boxHeight, INPUT_FILL, INPUT_EDGE, fontSize, "x_" + s);
                box(g, x, yHidden, boxWidth, boxHeight, HIDDEN_FILL, HIDDEN_EDGE, fontSize, "h_" + s);
                box(g, x, yOutput, boxWidth, boxHeight, OUTPUT_FILL, OUTPUT_EDGE, fontSize, "y_" + s);
                oval(g, x, yLoss, Math.max(boxWidth, 36), 40, LOSS_FILL, GRADIENT, fontSize, "L_" + s);
            }

            // Legend and equations.
            double y = 478;
            arrow(g, INK, false, 40, y - 5, 90, y - 5);
            text(g, "forward:  h_t = tanh(x_t·W_x + h_{t−1}·W_h + b),   y_t = h_t·W_y + c", 104, y, 15f, INK, Anchor.LEFT);
            y += 30;
            arrow(g, GRADIENT, true, 90, y - 5, 40, y - 5);
            text(g, "backward (BPTT):  ∂L/∂h_t = (∂L_t/∂y_t)·W_yᵀ + ((∂L/∂h_{t+1}) ⊙ (1 − h_{t+1}²))·W_hᵀ", 104, y,
                    15f, GRADIENT, Anchor.LEFT);
            y += 30;
            text(g, "L = L_1 + … + L_T.  The same W_x, W_h, W_y at every step: their gradients are summed over t.", 104, y,
                    15f, INK, Anchor.LEFT);
            y += 28;
            text(g, "Each step back multiplies by diag(1 − h_t²)·W_hᵀ: long products vanish or explode.", 104, y, 15f, INK,
                    Anchor.LEFT);
        }, "Diagram: a vanilla RNN unrolled over " + steps + " time steps. "
                + "Inputs x_t at the bottom feed hidden states h_t through the shared weight W_x; "
                + "each h_t feeds the next through the shared W_h and an output y_t and loss L_t through W_y. "
                + "Dashed red arrows show the backward pass: from each loss L_t down to h_t and back along the "
                + "chain h_t to h_(t-1).");
    }

    /**
     * A gated cell's highway across the top, drawn the same for the LSTM's c and the GRU's h: the old state enters on
     * the left, is scaled at × by the gate that keeps it, receives the new content at +, and leaves on the right.
     */
    private static void highway(Graphics2D g, double y, String from, double xKeep, double xAdd, String to) {
        text(g, from, 22, y - 10, 17f, HIGHWAY, Anchor.LEFT);
        line(g, HIGHWAY, 3.5f, 20, y, xKeep - 16, y);
        operation(g, xKeep, y, "×");
        line(g, HIGHWAY, 3.5f, xKeep + 16, y, xAdd - 16, y);
        operation(g, xAdd, y, "+");
        arrow(g, HIGHWAY, 3.5f, false, xAdd + 16, y, WIDTH - 22, y);
        text(g, to, WIDTH - 22, y - 10, 17f, HIGHWAY, Anchor.RIGHT);
    }

    /**
     * The LSTM cell: the cell state's highway c_{t−1} → × f_t → + i_t ⊙ g_t → c_t across the top; the forget,
     * input, candidate and output gates f, i, g, o as boxes (σ, σ, tanh, σ) fed by [h_{t−1}, x_t], which enter
     * from the bottom left; h_t = o_t ⊙ tanh(c_t) leaving on the right; the equations underneath.
     *
     * @return the diagram, {@link #WIDTH} × {@link #HEIGHT}
     */
    public static BufferedImage lstmCell() {
        return diagram("The LSTM cell", g -> {
            cellBody(g);
            double highway = 112;
            double bus = 380;
            double gates = 304;
            double xForget = 240;
            double xInput = 340;
            double xAdd = 420;
            double xCandidate = 500;
            double xOutput = 600;

            // The highway, c_{t−1} → × f_t → + i_t ⊙ g_t → c_t.
            highway(g, highway, "c_{t−1}", xForget, xAdd, "c_t");
            text(g, "the cell state's highway: ∂c_t/∂c_{t−1} = diag(f_t)", (xForget + xAdd) / 2.0, highway - 26, 13f,
                    HIGHWAY, Anchor.CENTRE);

            // Inputs: h_{t−1} from the left, x_t from below, joined into [h_{t−1}, x_t] on the bus.
            double join = 150;
            text(g, "h_{t−1}", 22, bus - 10, 17f, INK, Anchor.LEFT);
            line(g, INK, 2f, 20, bus, join, bus);
            line(g, INK, 2f, join, 530, join, bus);
            text(g, "x_t", join, 552, 17f, INK, Anchor.CENTRE);
            dot(g, join, bus);
            line(g, INK, 2f, join, bus, xOutput, bus);
            text(g, "[h_{t−1}, x_t]", (join + xForget) / 2.0 + 6, bus + 22, 14f, INK, Anchor.CENTRE);

            // The four gates, each fed from the bus.
            double[] xs = {xForget, xInput, xCandidate, xOutput};
            String[] names = {"f_t", "i_t", "g_t", "o_t"};
            String[] functions = {"σ", "σ", "tanh", "σ"};
            for (int k = 0; k < 4; k++) {
                dot(g, xs[k], bus);
                arrow(g, INK, false, xs[k], bus, xs[k], gates + 27);
                gate(g, xs[k], gates, names[k], functions[k]);
            }
            for (int k = 0; k < 4; k++) {
                String role = new String[] {"forget", "input", "candidate", "output"}[k];
                text(g, role, xs[k] - 6, gates - 38, 13f, Color.DARK_GRAY, Anchor.RIGHT);
            }

            // f_t scales the old cell state.
            arrow(g, INK, false, xForget, gates - 27, xForget, highway + 16);
            // i_t ⊙ g_t is added to it.
            double yProduct = 206;
            polyArrow(g, INK, false, xInput, gates - 27, xInput, yProduct, xAdd - 16, yProduct);
            polyArrow(g, INK, false, xCandidate, gates - 27, xCandidate, yProduct, xAdd + 16, yProduct);
            operation(g, xAdd, yProduct, "⊙");
            arrow(g, INK, false, xAdd, yProduct - 16, xAdd, highway + 16);

            // h_t = o_t ⊙ tanh(c_t).
            double yTanh = 170;
            double yGate = 236;
            dot(g, xOutput, highway);
            arrow(g, HIGHWAY, 2f, false, xOutput, highway, xOutput, yTanh - 14);
            function(g, xOutput, yTanh, "tanh");
            arrow(g, INK, false, xOutput, yTanh + 14, xOutput, yGate - 16);
            arrow(g, INK, false, xOutput, gates - 27, xOutput, yGate + 16);
            operation(g, xOutput, yGate, "⊙");
            arrow(g, INK, 3f, false, xOutput + 16, yGate, WIDTH - 22, yGate);
            text(g, "h_t", WIDTH - 22, yGate - 10, 17f, INK, Anchor.RIGHT);

            // Equations.
            double y = 470;
            double right = 470;
            text(g, "f_t = σ([h_{t−1}, x_t]·W_f + b_f)", 200, y, 15f, INK, Anchor.LEFT);
            text(g, "i_t = σ([h_{t−1}, x_t]·W_i + b_i)", right, y, 15f, INK, Anchor.LEFT);
            y += 26;
            text(g, "g_t = tanh([h_{t−1}, x_t]·W_g + b_g)", 200, y, 15f, INK, Anchor.LEFT);
            text(g, "o_t = σ([h_{t−1}, x_t]·W_o + b_o)", right, y, 15f, INK, Anchor.LEFT);
            y += 26;
            text(g, "c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t", 200, y, 15f, HIGHWAY, Anchor.LEFT);
            text(g, "h_t = o_t ⊙ tanh(c_t)", right, y, 15f, INK, Anchor.LEFT);
            y += 26;
            text(g, "⊙ element-wise product,  σ logistic sigmoid", 200, y, 13f, Color.DARK_GRAY, Anchor.LEFT);
        }, "Diagram: the LSTM cell. The cell state runs across the top, "
                + "c_(t-1) multiplied by the forget"
                + " gate f_t plus i_t times g_t giving c_t; the forget, input and output gates (sigmoid) and "
                + "the candidate g (tanh) are fed by [h_(t-1), x_t]; h_t = o_t times tanh(c_t) leaves on the "
                + "right; the equations are written underneath.");
    }

    /**
     * The GRU cell as {@link unrolled.cell.GruCell} computes it (the cuDNN/PyTorch form): the hidden state's highway
     * h_{t−1} → × z_t → + (1 − z_t) ⊙ h̃_t → h_t across the top; the reset and update gates r, z (σ) and the
     * candidate h̃ (tanh) as boxes; [h_{t−1}, x_t] feeding the gates from below; the reset gate scaling the
     * candidate's recurrent term r_t ⊙ (h_{t−1}·W_{hn} + b_{hn}) (Cho et al. 2014 apply r before the product,
     * tanh((r_t ⊙ h_{t−1})·W_{hn} + …)); the equations underneath. (Some texts swap z and 1 − z; the cell is the same.)
     *
     * @return the diagram, {@link #WIDTH} × {@link #HEIGHT}
     */
    public static BufferedImage gruCell() {
        return diagram("The GRU cell", g -> {
            cellBody(g);
            double highway = 112;
            double bus = 390;
            double gates = 314;
            double xDrop = 130;
            double xReset = 230;
            double xCandidate = 400;
            double xUpdate = 560;
            double xAdd = 680;

            // The highway, h_{t−1} → × z_t → + (1 − z_t) ⊙ h̃_t → h_t.
            highway(g, highway, "h_{t−1}", xUpdate, xAdd, "h_t");
            text(g, "the hidden state's highway: ∂h_t/∂h_{t−1} = diag(z_t) + …", (xReset + xUpdate) / 2.0, highway - 26,
                    13f, HIGHWAY, Anchor.CENTRE);

            // h_{t−1} drops to the bus, where x_t joins it.
            dot(g, xDrop, highway);
            line(g, INK, 2f, xDrop, highway, xDrop, bus);
            double join = 170;
            line(g, INK, 2f, join, 540, join, bus);
            text(g, "x_t", join, 560, 17f, INK, Anchor.CENTRE);
            dot(g, join, bus);
            line(g, INK, 2f, xDrop, bus, xUpdate, bus);
            text(g, "[h_{t−1}, x_t]", (xReset + xCandidate) / 2.0 - 10, bus + 22, 14f, INK, Anchor.CENTRE);

            // Gates.
            double[] xs = {xReset, xUpdate};
            for (double x : xs) {
                dot(g, x, bus);
                arrow(g, INK, false, x, bus, x, gates + 27);
            }
            gate(g, xReset, gates, "r_t", "σ");
            gate(g, xUpdate, gates, "z_t", "σ");
            text(g, "reset", xReset - 38, gates + 5, 13f, Color.DARK_GRAY, Anchor.RIGHT);
            text(g, "update", xUpdate + 38, gates + 5, 13f, Color.DARK_GRAY, Anchor.LEFT);

            // r_t ⊙ h_{t−1}, from a second drop of the highway.
            double yReset = 210;
            dot(g, xReset, highway);
            arrow(g, HIGHWAY, 2f, false, xReset, highway, xReset, yReset - 16);
            arrow(g, INK, false, xReset, gates - 27, xReset, yReset + 16);
            operation(g, xReset, yReset, "⊙");

            // The candidate h̃_t = tanh(x_t·W_{xn} + b_{xn} + r_t ⊙ (h_{t−1}·W_{hn} + b_{hn})), as GruCell computes it (the cuDNN form).
            double candidateLeft = xCandidate - 20;
            polyArrow(g, INK, false, xReset + 16, yReset, candidateLeft, yReset, candidateLeft, gates - 27);
            text(g, "r_t ⊙ (h_{t−1}·W_{hn})", (xReset + candidateLeft) / 2.0 + 12, yReset - 10, 13f, INK, Anchor.CENTRE);
            dot(g, xCandidate, bus);
            arrow(g, INK, false, xCandidate, bus, xCandidate, gates + 27);
            text(g, "x_t", xCandidate + 6, bus - 22, 13f, INK, Anchor.LEFT);
            gate(g, xCandidate, gates, "h̃_t", "tanh");
            text(g, "candidate", xCandidate - 40, gates + 5, 13f, Color.DARK_GRAY, Anchor.RIGHT);

            // z_t scales the old state; 1 − z_t scales the candidate.
            double yMix = 232;
            arrow(g, INK, false, xUpdate, gates - 27, xUpdate, highway + 16);
            dot(g, xUpdate, yMix);
            arrow(g, INK, false, xUpdate, yMix, 604, yMix);
            operation(g, 620, yMix, "1−");
            arrow(g, INK, false, 636, yMix, xAdd - 16, yMix);
            operation(g, xAdd, yMix, "⊙");
            arrow(g, INK, false, xAdd, yMix - 16, xAdd, highway + 16);
            // h̃_t rises to the product, hopping over the z_t line.
            double candidateRight = xCandidate + 20;
            double yRise = 266;
            line(g, INK, 2f, candidateRight, gates - 27, candidateRight, yRise);
            line(g, INK, 2f, candidateRight, yRise, xUpdate - 8, yRise);
            hop(g, xUpdate, yRise, 8);
            polyArrow(g, INK, false, xUpdate + 8, yRise, xAdd, yRise, xAdd, yMix + 16);

            // Equations.
            double y = 478;
            text(g, "r_t = σ([h_{t−1}, x_t]·W_r + b_r)", 240, y, 15f, INK, Anchor.LEFT);
            text(g, "z_t = σ([h_{t−1}, x_t]·W_z + b_z)", 510, y, 15f, INK, Anchor.LEFT);
            y += 26;
            text(g, "h̃_t = tanh(x_t·W_{xn} + b_{xn} + r_t ⊙ (h_{t−1}·W_{hn} + b_{hn}))", 240, y, 15f, INK, Anchor.LEFT);
            y += 26;
            text(g, "h_t = z_t ⊙ h_{t−1} + (1 − z_t) ⊙ h̃_t", 240, y, 15f, HIGHWAY, Anchor.LEFT);
            y += 26;
            text(g, "z_t → 1 keeps the old state; r_t → 0 lets the candidate ignore it", 240, y, 13f, Color.DARK_GRAY,
                    Anchor.LEFT);
        }, "Diagram: the GRU cell. The hidden state runs across the top, "
                + "h_(t-1) times z_t plus (1 - "
                + "z_t) times the candidate giving h_t; the reset and update gates r and z (sigmoid) and the "
                + "candidate (tanh) are fed by [h_(t-1), x_t], with the reset gate scaling the candidate's "
                + "recurrent term; the equations are written underneath.");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Drawing primitives.

    private enum Anchor { LEFT, CENTRE, RIGHT }

    /**
     * A page: white, with the title at the top, then whatever {@code body} draws; recorded with its description for
     * readers who cannot see it.
     */
    private static BufferedImage diagram(String title, Consumer<Graphics2D> body, String description) {
        BufferedImage image = canvas();
        Graphics2D g = graphics(image);
        try {
            title(g, title);
            body.accept(g);
        } finally {
            g.dispose();
        }
        return Descriptions.record(image, description);
    }

    private static BufferedImage canvas() {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.dispose();
        return image;
    }

    private static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        return g;
    }

    private static void title(Graphics2D g, String title) {
        g.setFont(new Font(FAMILY, Font.BOLD, 20));
        g.setColor(INK);
        g.drawString(title, (WIDTH - g.getFontMetrics().stringWidth(title)) / 2, 34);
    }

    /** The cell's outline, behind everything inside it. */
    private static void cellBody(Graphics2D g) {
        RoundRectangle2D body = new RoundRectangle2D.Double(100, 60, 620, 370, 28, 28);
        g.setColor(CELL_FILL);
        g.fill(body);
        g.setColor(Color.LIGHT_GRAY);
        g.setStroke(new BasicStroke(1.5f));
        g.draw(body);
    }

    private static void box(Graphics2D g, double cx, double cy, double w, double h, Color fill, Color edge, float size,
            String label) {
        RoundRectangle2D shape = new RoundRectangle2D.Double(cx - w / 2, cy - h / 2, w, h, 10, 10);
        g.setColor(fill);
        g.fill(shape);
        g.setColor(edge);
        g.setStroke(new BasicStroke(2f));
        g.draw(shape);
        text(g, label, cx, cy + size * 0.35, size, INK, Anchor.CENTRE);
    }

    private static void oval(Graphics2D g, double cx, double cy, double w, double h, Color fill, Color edge, float size,
            String label) {
        Ellipse2D shape = new Ellipse2D.Double(cx - w / 2, cy - h / 2, w, h);
        g.setColor(fill);
        g.fill(shape);
        g.setColor(edge);
        g.setStroke(new BasicStroke(2f));
        g.draw(shape);
        text(g, label, cx, cy + size * 0.35, size, INK, Anchor.CENTRE);
    }

    /** A gate: its name over its nonlinearity, in a box coloured by the nonlinearity. */
    private static void gate(Graphics2D g, double cx, double cy, String name, String function) {
        boolean sigmoid = function.equals("σ");
        RoundRectangle2D shape = new RoundRectangle2D.Double(cx - 34, cy - 27, 68, 54, 10, 10);
        g.setColor(sigmoid ? SIGMOID_FILL : TANH_FILL);
        g.fill(shape);
        g.setColor(sigmoid ? SIGMOID_EDGE : TANH_EDGE);
        g.setStroke(new BasicStroke(2f));
        g.draw(shape);
        text(g, name, cx, cy - 4, 16f, INK, Anchor.CENTRE, Font.BOLD);
        text(g, function, cx, cy + 18, 15f, INK, Anchor.CENTRE);
    }

    /** A point-wise operation (×, +, ⊙, 1−) in a circle of radius 16. */
    private static void operation(Graphics2D g, double cx, double cy, String symbol) {
        Ellipse2D shape = new Ellipse2D.Double(cx - 16, cy - 16, 32, 32);
        g.setColor(Color.WHITE);
        g.fill(shape);
        g.setColor(INK);
        g.setStroke(new BasicStroke(2f));
        g.draw(shape);
        text(g, symbol, cx, cy + 6.5, symbol.length() > 1 ? 14f : 19f, INK, Anchor.CENTRE);
    }

    /** A point-wise function (tanh) in an ellipse. */
    private static void function(Graphics2D g, double cx, double cy, String name) {
        Ellipse2D shape = new Ellipse2D.Double(cx - 30, cy - 14, 60, 28);
        g.setColor(TANH_FILL);
        g.fill(shape);
        g.setColor(TANH_EDGE);
        g.setStroke(new BasicStroke(2f));
        g.draw(shape);
        text(g, name, cx, cy + 5, 14f, INK, Anchor.CENTRE);
    }

    private static void dot(Graphics2D g, double cx, double cy) {
        g.setColor(INK);
        g.fill(new Ellipse2D.Double(cx - 4, cy - 4, 8, 8));
    }

    private static void line(Graphics2D g, Color colour, float width, double x1, double y1, double x2, double y2) {
        g.setColor(colour);
        g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(new java.awt.geom.Line2D.Double(x1, y1, x2, y2));
    }

    /** A half circle over a crossing line, so that two wires visibly do not meet. */
    private static void hop(Graphics2D g, double cx, double cy, double radius) {
        g.setColor(INK);
        g.setStroke(new BasicStroke(2f));
        g.draw(new Arc2D.Double(cx - radius, cy - radius, 2 * radius, 2 * radius, 0, 180, Arc2D.OPEN));
    }

    private static void arrow(Graphics2D g, Color colour, boolean dashed, double x1, double y1, double x2, double y2) {
        arrow(g, colour, 2f, dashed, x1, y1, x2, y2);
    }

    private static void arrow(Graphics2D g, Color colour, float width, boolean dashed, double x1, double y1, double x2,
            double y2) {
        polyArrow(g, colour, width, dashed, x1, y1, x2, y2);
    }

    private static void polyArrow(Graphics2D g, Color colour, boolean dashed, double... points) {
        polyArrow(g, colour, 2f, dashed, points);
    }

    /** A polyline through (x, y) pairs with an arrowhead at its last point. */
    private static void polyArrow(Graphics2D g, Color colour, float width, boolean dashed, double... points) {
        int n = points.length / 2;
        double x2 = points[2 * n - 2];
        double y2 = points[2 * n - 1];
        double x1 = points[2 * n - 4];
        double y1 = points[2 * n - 3];
        double angle = Math.atan2(y2 - y1, x2 - x1);
        double head = 6 + 2 * width;
        // Stop the shaft at the head's base, so a thick line does not poke through the tip.
        double baseX = x2 - 0.8 * head * Math.cos(angle);
        double baseY = y2 - 0.8 * head * Math.sin(angle);
        Path2D shaft = new Path2D.Double();
        shaft.moveTo(points[0], points[1]);
        for (int i = 1; i < n - 1; i++) {
            shaft.lineTo(points[2 * i], points[2 * i + 1]);
        }
        shaft.lineTo(baseX, baseY);
        Stroke stroke = dashed
                ? new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {7f, 5f}, 0f)
                : new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
        g.setColor(colour);
        g.setStroke(stroke);
        g.draw(shaft);
        Path2D tip = new Path2D.Double();
        tip.moveTo(x2, y2);
        tip.lineTo(x2 - head * Math.cos(angle - 0.4), y2 - head * Math.sin(angle - 0.4));
        tip.lineTo(x2 - head * Math.cos(angle + 0.4), y2 - head * Math.sin(angle + 0.4));
        tip.closePath();
        g.fill(tip);
    }

    private static void text(Graphics2D g, String markup, double x, double baseline, float size, Color colour,
            Anchor anchor) {
        text(g, markup, x, baseline, size, colour, anchor, Font.PLAIN);
    }

    /**
     * Draws text with subscripts: {@code h_t}, {@code h_{t−1}} (the braces group a subscript; a lone
     * character after _ is one). The base line is at {@code baseline}; subscripts sit below it.
     */
    private static void text(Graphics2D g, String markup, double x, double baseline, float size, Color colour,
            Anchor anchor, int style) {
        Font base = new Font(FAMILY, style, 1).deriveFont(size);
        Font small = base.deriveFont(size * 0.7f);
        List<Object[]> runs = new ArrayList<>();
        StringBuilder plain = new StringBuilder();
        for (int i = 0; i < markup.length(); i++) {
            char c = markup.charAt(i);
            if (c == '_' && i + 1 < markup.length()) {
                if (plain.length() > 0) {
                    runs.add(new Object[] {plain.toString(), false});
                    plain.setLength(0);
                }
                int end;
                String sub;
                if (markup.charAt(i + 1) == '{') {
                    end = markup.indexOf('}', i + 2);
                    sub = markup.substring(i + 2, end);
                } else {
                    end = i + 1;
                    sub = markup.substring(i + 1, i + 2);
                }
                runs.add(new Object[] {sub, true});
                i = end;
            } else {
                plain.append(c);
            }
        }
        if (plain.length() > 0) {
            runs.add(new Object[] {plain.toString(), false});
        }
        double width = 0;
        for (Object[] run : runs) {
            width += g.getFontMetrics((Boolean) run[1] ? small : base).stringWidth((String) run[0]);
        }
        double cursor = anchor == Anchor.LEFT ? x : anchor == Anchor.CENTRE ? x - width / 2 : x - width;
        g.setColor(colour);
        for (Object[] run : runs) {
            boolean subscript = (Boolean) run[1];
            String s = (String) run[0];
            g.setFont(subscript ? small : base);
            drawWithTildes(g, s, cursor, baseline + (subscript ? size * 0.28 : 0));
            cursor += g.getFontMetrics().stringWidth(s);
        }
    }

    /** Draws a string; a combining tilde (U+0303) is drawn as a small ~ over the preceding character. */
    private static void drawWithTildes(Graphics2D g, String s, double x, double baseline) {
        String visible = s.replace("\u0303", "");
        g.drawString(visible, (float) x, (float) baseline);
        int index = s.indexOf('\u0303');
        while (index > 0) {
            String before = s.substring(0, index).replace("\u0303", "");
            String previous = before.substring(before.length() - 1);
            double left = x + g.getFontMetrics().stringWidth(before.substring(0, before.length() - 1));
            double charWidth = g.getFontMetrics().stringWidth(previous);
            double top = baseline - g.getFontMetrics().getAscent() * 1.02;
            Path2D tilde = new Path2D.Double();
            double w = charWidth * 0.8;
            double x0 = left + (charWidth - w) / 2 + 0.08 * charWidth;
            tilde.moveTo(x0, top + 2);
            tilde.curveTo(x0 + w * 0.3, top - 2, x0 + w * 0.5, top + 4, x0 + w, top);
            g.setStroke(new BasicStroke(1.4f));
            g.draw(tilde);
            index = s.indexOf('\u0303', index + 1);
        }
    }
}
