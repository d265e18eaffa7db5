import { createCanvas, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { encodePng } from '../../src/render/png.ts';

describe('encodePng', () => {
  it('writes a PNG whose header and pixels decode back exactly', async () => {
    const canvas = createCanvas(37, 11);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#FFFFFF';
    ctx.fillRect(0, 0, 37, 11);
    ctx.fillStyle = '#D55E00';
    ctx.fillRect(3, 5, 1, 1);
    ctx.fillStyle = '#0072B2';
    ctx.fillRect(36, 10, 1, 1);
    const png = await encodePng(canvas);

    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([37, 11]);

    const image = await loadImage(png);
    const check = createCanvas(image.width, image.height).getContext('2d');
    check.drawImage(image, 0, 0);
    const at = (x: number, y: number) => Array.from(check.getImageData(x, y, 1, 1).data);
    expect(at(3, 5)).toEqual([0xd5, 0x5e, 0x00, 255]);
    expect(at(36, 10)).toEqual([0x00, 0x72, 0xb2, 255]);
    expect(at(0, 0)).toEqual([255, 255, 255, 255]);
  });
});
