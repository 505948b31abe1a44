package io.dmarclens.web.auth;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import io.dmarclens.store.users.Account;
import io.dmarclens.store.users.Accounts;
import io.dmarclens.store.users.Role;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * TOTP second factors of local accounts: enrolment (a new secret, shown as a QR code, confirmed by a first
 * code, then sealed with {@link SecretBox} and stored with ten recovery codes, kept as SHA-256 digests),
 * checking a code or a recovery code at login (each usable once), and which roles must have one.
 */
public final class TwoFactor {
    /** Recovery codes issued at enrolment. */
    static final int RECOVERY_CODES = 10;
    private static final String ISSUER = "DMARC Lens";

    private final Accounts accounts;
    private final SecretBox box;
    private final Totp totp;
    private final Set<Role> requiredFor;
    private final SecureRandom random = new SecureRandom();

    public TwoFactor(Accounts accounts, SecretBox box, Clock clock, Set<Role> requiredFor) {
        this.accounts = accounts;
        this.box = box;
        this.totp = new Totp(clock);
        this.requiredFor = Set.copyOf(requiredFor);
    }

    /** Whether users of this role must log in with a second factor ({@code web.two_factor.required_roles}). */
    public boolean required(Role role) {
        return requiredFor.contains(role);
    }

    /** Whether the user has a second factor. */
    public boolean enrolled(String user) {
        return accounts.account(user).flatMap(Account::totpSecret).isPresent();
    }

    /** A fresh secret for {@code user} to enrol with (160 bits, as RFC 4226 recommends). */
    public byte[] newSecret() {
        byte[] secret = new byte[20];
        random.nextBytes(secret);
        return secret;
    }

    /** The {@code otpauth://} address an authenticator app reads from the QR code. */
    public static String otpauthUri(String user, byte[] secret) {
        String label = URLEncoder.encode(ISSUER + ":" + user, StandardCharsets.UTF_8).replace("+", "%20");
        return "otpauth://totp/" + label + "?secret=" + Totp.base32(secret) + "&issuer="
                + URLEncoder.encode(ISSUER, StandardCharsets.UTF_8).replace("+", "%20")
                + "&algorithm=SHA1&digits=6&period=30";
    }

    /** The QR code of {@code text} as an SVG image, one square per module, with the quiet zone. */
    public static String qrSvg(String text) {
        try {
            BitMatrix m = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0);
            StringBuilder path = new StringBuilder();
            for (int y = 0; y < m.getHeight(); y++) {
                for (int x = 0; x < m.getWidth(); x++) {
                    if (m.get(x, y)) {
                        path.append('M').append(x).append(' ').append(y).append("h1v1h-1z");
                    }
                }
            }
            return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + m.getWidth() + " " + m.getHeight()
                    + "\" width=\"240\" height=\"240\" shape-rendering=\"crispEdges\" role=\"img\""
                    + " aria-label=\"QR code of the two-factor secret\"><rect width=\"100%\" height=\"100%\""
                    + " fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
        } catch (WriterException e) {
            throw new IllegalStateException("an otpauth address always fits a QR code", e);
        }
    }

    /**
     * Completes enrolment when {@code code} is right for {@code secret}: stores the sealed secret and returns
     * the recovery codes (shown once, kept only as digests); empty when the code is wrong.
     */
    public Optional<List<String>> confirm(String user, byte[] secret, String code) {
        OptionalLong step = totp.match(secret, code, Long.MIN_VALUE);
        if (step.isEmpty()) {
            return Optional.empty();
        }
        List<String> codes = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        for (int i = 0; i < RECOVERY_CODES; i++) {
            byte[] b = new byte[10];
            random.nextBytes(b);
            String c = Totp.base32(b).toLowerCase(java.util.Locale.ROOT);
            String shown = c.substring(0, 4) + "-" + c.substring(4, 8) + "-" + c.substring(8, 12) + "-" + c.substring(12);
            codes.add(shown);
            digests.add(digest(shown));
        }
        if (!accounts.setTwoFactor(user, box.seal(user, secret), digests)) {
            return Optional.empty();
        }
        // The enrolling code is used: it does not log in again.
        accounts.useTotpStep(user, step.getAsLong());
        return Optional.of(List.copyOf(codes));
    }

    /** Removes the user's second factor and recovery codes. */
    public boolean remove(String user) {
        return accounts.setTwoFactor(user, null, List.of());
    }

    /**
     * Whether {@code code} is the user's current TOTP code (not used before) or one of its unused recovery
     * codes (which is then used up).
     */
    public boolean verify(String user, String code) {
        Optional<String> sealed = accounts.account(user).flatMap(Account::totpSecret);
        if (sealed.isEmpty() || code == null) {
            return false;
        }
        String c = code.trim().replace(" ", "");
        if (c.matches("[0-9]{6}")) {
            byte[] secret = box.open(user, sealed.get());
            // The step is kept with the account and taken atomically there, so a code (seen over a shoulder,
            // replayed) works once: also after a restart, and on another node sharing the accounts.
            OptionalLong step = totp.match(secret, c, Long.MIN_VALUE);
            return step.isPresent() && accounts.useTotpStep(user, step.getAsLong());
        }
        return c.length() <= 40 && accounts.useRecoveryCode(user, digest(c.toLowerCase(java.util.Locale.ROOT)));
    }

    private static String digest(String code) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(code.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
