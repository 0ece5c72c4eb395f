/**
 * Configuration is read once, at start-up, into immutable records whose constructors fill the
 * defaults and check the values. Anything wrong stops the start with a {@link
 * io.logpipe.config.ConfigException} naming the file and the key, which the launcher turns into
 * exit code 2: a service never runs on a config it only half understood.
 */
package io.logpipe.config;
