package io.riskgate.security;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Per-principal rate limit (Bucket4j token buckets): each authenticated caller may send {@code perSecond}
 * requests a second on average with bursts up to {@code burst}; past that the answer is 429 with
 * {@code Retry-After} in whole seconds. Buckets of callers idle for 10 minutes are dropped, so the map stays as
 * small as the set of active credentials.
 */
final class RateLimitFilter extends OncePerRequestFilter {

    private final long perSecond;
    private final long burst;
    private final com.github.benmanes.caffeine.cache.Cache<String, Bucket> buckets =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10))
                    .maximumSize(100_000).build();

    RateLimitFilter(long perSecond, long burst) {
        if (perSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("riskgate.security.rate-limit: per-second and burst must be >= 1, were "
                    + perSecond + " and " + burst);
        }
        this.perSecond = perSecond;
        this.burst = burst;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        if (!(a instanceof CallerAuthentication c)) {
            chain.doFilter(request, response);
            return;
        }
        Bucket bucket = buckets.get(c.caller().credential() + "|" + c.getName(), k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            chain.doFilter(request, response);
            return;
        }
        long wait = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
        response.setHeader("Retry-After", String.valueOf(wait));
        Problems.write(response, 429, "Too many requests", "'" + c.getName() + "' may send " + perSecond
                + " requests a second (bursts of " + burst + "); retry after " + wait + " s",
                SecurityConfiguration.path(request));
    }
}
