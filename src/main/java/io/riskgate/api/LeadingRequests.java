package io.riskgate.api;

import io.riskgate.database.GroupCommit;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A request's thread may write its own durable unit when the group commit's writer is idle
 * ({@link GroupCommit#mayLead}): a lone trader's check then skips the hand-off to the writer thread and back.
 */
class LeadingRequests extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try (GroupCommit.Scope leading = GroupCommit.mayLead()) {
            chain.doFilter(request, response);
        }
    }
}
