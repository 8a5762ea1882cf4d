import { createHash } from 'node:crypto';
import { unescapeXml } from '../xml.js';

/**
 * S3 gives an object assembled by CompleteMultipartUpload the ETag `"<md5 of the parts' binary MD5s>-<part count>"`,
 * not the MD5 of its bytes; s3rver gives the plain MD5. The proxy remembers each such object and shows S3's ETag
 * wherever one is returned (the completion, ListObjectsV2, HeadObject, GetObject), until the object is overwritten
 * by a PUT or a copy (S3 then gives a plain MD5 again) or deleted.
 */
export class MultipartEtags {
  private readonly byObject = new Map<string, { plain: string; multipart: string }>();

  /** Called with the completion request (its part ETags) and s3rver's plain ETag; returns S3's ETag. */
  completed(bucket: string, key: string, completionXml: string, plainEtag: string): string {
    const multipart = multipartEtag([...completionXml.matchAll(ETAG_ELEMENT)].map((m) => m[1] as string));
    this.byObject.set(`${bucket}/${key}`, { plain: plainEtag, multipart });
    return multipart;
  }

  forget(bucket: string, key: string): void {
    this.byObject.delete(`${bucket}/${key}`);
  }

  /** S3's ETag for this object, if s3rver's ETag is still the one it gave the multipart upload. */
  etagOf(bucket: string, key: string, plainEtag: string): string | undefined {
    const known = this.byObject.get(`${bucket}/${key}`);
    return known && known.plain === unquote(plainEtag) ? known.multipart : undefined;
  }

  /** A ListObjectsV2 body with S3's ETags for the multipart objects it lists. */
  rewriteListing(bucket: string, xml: string): string {
    if (this.byObject.size === 0) return xml;
    return xml.replace(/<Contents>[\s\S]*?<\/Contents>/g, (contents) => {
      const key = /<Key>([\s\S]*?)<\/Key>/.exec(contents)?.[1];
      if (key === undefined) return contents;
      return contents.replace(ETAG_ELEMENT, (element, plain: string) => {
        const etag = this.etagOf(bucket, unescapeXml(key), plain);
        return etag ? `<ETag>&quot;${etag}&quot;</ETag>` : element;
      });
    });
  }
}

const ETAG_ELEMENT = /<ETag>(?:&quot;|")?([0-9a-fA-F-]+)(?:&quot;|")?<\/ETag>/g;

function multipartEtag(partEtags: string[]): string {
  const digests = partEtags.map((etag) => Buffer.from(unquote(etag), 'hex'));
  return `${createHash('md5').update(Buffer.concat(digests)).digest('hex')}-${partEtags.length}`;
}

function unquote(etag: string): string {
  return etag.replace(/"|&quot;/g, '').toLowerCase();
}
