package io.dmarclens.web;

import io.javalin.config.RoutesConfig;

/** A group of routes (one page family and its API) registered on the app at start. */
public interface RouteModule {
    void register(RoutesConfig routes);
}
