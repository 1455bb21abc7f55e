package io.captionstream.hub;

import java.net.URI;

/**
 * What a {@code HEAD} on a resolve URL says about one file.
 *
 * @param commit   {@code X-Repo-Commit}: the commit the revision resolved to
 * @param etag     {@code X-Linked-Etag} (LFS: the sha256 of the contents) else {@code ETag} (git blob sha1), unquoted
 * @param size     {@code X-Linked-Size} else {@code Content-Length}; -1 when unknown
 * @param location where the bytes are: the CDN address of an LFS file, else the resolve URL itself
 */
public record FileMetadata(String commit, String etag, long size, URI location) {

  /** Whether the etag is a sha256 (LFS files), checkable against the downloaded bytes. */
  public boolean isSha256() {
    return etag.matches("[0-9a-f]{64}");
  }

  /** Whether the etag is a git blob sha1 (small files stored in git). */
  public boolean isGitSha1() {
    return etag.matches("[0-9a-f]{40}");
  }
}
