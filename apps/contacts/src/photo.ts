/** The longest side of a stored photo: enough for an avatar and a phone's contact card. */
const MAX_SIDE = 256;

/**
 * A picture file as a JPEG `data:` URI no larger than 256 px on its longest side, so it fits in the
 * contact document and in the vCard phones receive (a camera photo would weigh megabytes).
 */
export async function photoFromFile(file: Blob): Promise<string> {
  const bitmap = await createImageBitmap(file);
  try {
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2D canvas');
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return canvas.toDataURL('image/jpeg', 0.85);
  } finally {
    bitmap.close();
  }
}
