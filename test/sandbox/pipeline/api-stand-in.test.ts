import { apiAnswer, type BrokenRoute } from '../../../sandbox/pipeline/api-stand-in.js';
import { pipelineImages, REGRESSED_ROUTE } from '../../../sandbox/pipeline/images.js';

describe('the API stand-in', () => {
  const images = pipelineImages();
  const broken: BrokenRoute[] = [{ image: images.regressed, ...REGRESSED_ROUTE }];

  it('answers the smoke routes 200 for an image that serves them', () => {
    expect(apiAnswer('/order/products', images.good, broken).status).toBe(200);
    expect(apiAnswer('/order/products', images.regressed, broken).status).toBe(200); // its health path still works
  });

  it("answers the regressed image's broken route with its error, only for that image", () => {
    expect(apiAnswer(REGRESSED_ROUTE.path, images.regressed, broken)).toEqual({
      status: 500,
      body: REGRESSED_ROUTE.body,
    });
    expect(apiAnswer(REGRESSED_ROUTE.path, undefined, broken).status).toBe(200);
  });

  it('answers 404 for a route the API does not have', () => {
    expect(apiAnswer('/nope', images.good, broken).status).toBe(404);
  });
});
